namespace Vedette.Identity;

/// <summary>What a user name may be: it appears in audit entries, URLs and log lines, so it stays plain.</summary>
public static class UserNames
{
    public const int MaxLength = 64;

    /// <summary>Null when <paramref name="name"/> is acceptable, otherwise why not.</summary>
    public static string? Validate(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "a user name is required";
        }
        if (name.Length > MaxLength)
        {
            return $"a user name has at most {MaxLength} characters";
        }
        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '@'))
            {
                return $"'{name}' is not a valid user name: use letters, digits and . _ - @ only";
            }
        }
        return char.IsAsciiLetterOrDigit(name[0]) ? null : $"'{name}' is not a valid user name: it must start with a letter or a digit";
    }
}

using System.Collections.Frozen;
using System.Resources;
using System.Text;
using Zxcvbn.Matcher;

namespace Vedette.Identity;

/// <summary>Whether a new password may be used, and if not, why (a sentence to show the person choosing it).</summary>
public sealed record PasswordVerdict(bool Accepted, string? Reason)
{
    public static PasswordVerdict Accept { get; } = new(true, null);

    public static PasswordVerdict Refuse(string reason) => new(false, reason);
}

/// <summary>
/// New-password rules after NIST SP 800-63B (5.1.1.2): length is what counts (15 characters, or 8 once a second
/// factor is enrolled; up to 256 accepted), no composition rules, no expiry, and a refusal of passwords that are
/// common, expected or breached. "Common" is zxcvbn's list of the 30,000 most used passwords plus its estimate of how
/// fast a password built from common words, names, keyboard walks, sequences and repeats is guessed; "expected"
/// includes the user name and the product's name. A breached-password range service is consulted when one is given.
/// </summary>
public sealed class PasswordPolicy(IBreachedPasswordCheck? breached = null)
{
    public const int MinLengthWithoutMfa = 15;
    public const int MinLengthWithMfa = 8;
    public const int MaxLength = 256;

    /// <summary>zxcvbn's estimate must reach "safely unguessable" (3 of 0-4): about a million seconds of offline guessing at its rate.</summary>
    public const int MinScore = 3;

    // zxcvbn's matching is quadratic in the length: beyond this many characters the rest only adds guesses.
    private const int ScoredPrefix = 100;

    private static readonly Lazy<FrozenSet<string>> CommonPasswords = new(LoadCommonPasswords);

    private static readonly string[] ContextWords = ["vedette"];

    /// <summary>Checks length, the user name and the common-password list; no network.</summary>
    public static PasswordVerdict Check(string password, string userName, bool hasMfa)
    {
        ArgumentNullException.ThrowIfNull(password);
        var length = CountCharacters(password);
        var minimum = hasMfa ? MinLengthWithMfa : MinLengthWithoutMfa;
        if (length < minimum)
        {
            return PasswordVerdict.Refuse(hasMfa
                ? $"a password needs at least {MinLengthWithMfa} characters; this one has {length}"
                : $"a password needs at least {MinLengthWithoutMfa} characters ({MinLengthWithMfa} once MFA is enrolled); this one has {length}. A few unrelated words make a long password that is easy to remember");
        }
        if (length > MaxLength)
        {
            return PasswordVerdict.Refuse($"a password has at most {MaxLength} characters; this one has {length}");
        }
        if (userName.Length >= 3 && password.Contains(userName, StringComparison.OrdinalIgnoreCase))
        {
            return PasswordVerdict.Refuse("a password must not contain the user name");
        }
        if (CommonPasswords.Value.Contains(password.ToLowerInvariant()))
        {
            return PasswordVerdict.Refuse("this is one of the most commonly used passwords");
        }
        var scored = password.Length > ScoredPrefix ? password[..ScoredPrefix] : password;
        var estimate = Zxcvbn.Zxcvbn.MatchPassword(scored, [userName, .. ContextWords]);
        return estimate.Score >= MinScore
            ? PasswordVerdict.Accept
            : PasswordVerdict.Refuse($"this password is too easy to guess: {Describe(estimate)}");
    }

    /// <summary>
    /// <see cref="Check"/>, then the breached-password service if one was given. When the service cannot answer the
    /// password is accepted on the local checks alone: a third party's outage must not stop analysts from working.
    /// </summary>
    public async Task<PasswordVerdict> CheckAsync(string password, string userName, bool hasMfa, CancellationToken cancellationToken)
    {
        var local = Check(password, userName, hasMfa);
        if (!local.Accepted || breached is null)
        {
            return local;
        }
        var result = await breached.CheckAsync(password, cancellationToken);
        return result.Status == BreachStatus.Found
            ? PasswordVerdict.Refuse($"this password appears {result.Count:N0} time(s) in known data breaches")
            : local;
    }

    /// <summary>Characters as a person counts them: Unicode scalar values, so an emoji or a CJK character is one.</summary>
    public static int CountCharacters(string password)
    {
        var count = 0;
        foreach (var _ in password.EnumerateRunes())
        {
            count++;
        }
        return count;
    }

    private static string Describe(Zxcvbn.Result estimate)
    {
        var parts = new List<string>();
        foreach (var match in estimate.MatchSequence)
        {
            var what = match switch
            {
                DictionaryMatch { DictionaryName: "passwords" } => "a common password",
                DictionaryMatch { DictionaryName: "user_inputs" } => "the user or product name",
                DictionaryMatch { DictionaryName: "male_names" or "female_names" or "surnames" } => "a common name",
                DictionaryMatch => "a common word",
                SpatialMatch => "a keyboard pattern",
                SequenceMatch => "a sequence",
                RepeatMatch => "a repetition",
                DateMatch => "a date",
                _ => null,
            };
            if (what is not null)
            {
                parts.Add($"'{match.Token}' is {what}");
            }
        }
        return parts.Count == 0 ? "it is short and simple" : string.Join(", ", parts);
    }

    private static FrozenSet<string> LoadCommonPasswords()
    {
        const string resource = "zxcvbn-core.Dictionaries.passwords.lst";
        using var stream = typeof(Zxcvbn.Zxcvbn).Assembly.GetManifestResourceStream(resource)
            ?? throw new MissingManifestResourceException($"zxcvbn-core no longer ships {resource}: the common-password check cannot run");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var words = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0)
            {
                words.Add(line.Trim().ToLowerInvariant());
            }
        }
        return words.ToFrozenSet(StringComparer.Ordinal);
    }
}

namespace Vedette.Tests;

/// <summary>The third-party acceptance data in ../shared/data, read in place (never copied into the repository).</summary>
internal static class SharedData
{
    public static string Root { get; } = Find();

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "shared", "data");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
            candidate = System.IO.Path.Combine(dir.FullName, "..", "shared", "data");
            if (Directory.Exists(candidate))
            {
                return System.IO.Path.GetFullPath(candidate);
            }
        }
        throw new DirectoryNotFoundException("../shared/data not found above " + AppContext.BaseDirectory + "; set up the workspace as the README says");
    }
}

namespace Vedette.Tests;

/// <summary>The repository, found from the test binary: its own shipped content (rules, mappings) is read in place, screenshots written in place.</summary>
internal static partial class Repo
{
    public static string Root { get; } = Find();

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Vedette.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException("repository root (Vedette.slnx) not found above " + AppContext.BaseDirectory);
    }
}

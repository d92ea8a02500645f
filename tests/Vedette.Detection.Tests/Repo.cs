using Vedette.Detection.Mappings;

namespace Vedette.Tests;

/// <summary>The repository's own shipped content (rules/, mappings/), found from the test binary.</summary>
internal static class Repo
{
    public static string Root { get; } = Find();

    public static string Rules => Path.Combine(Root, "rules");

    public static string Mappings => Path.Combine(Root, "mappings");

    public static DetectionMappings LoadMappings() => DetectionMappings.Load(Mappings);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Vedette.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException("repository root (Vedette.slnx) not found above " + AppContext.BaseDirectory);
    }
}

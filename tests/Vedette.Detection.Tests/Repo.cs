using Vedette.Detection.Mappings;

namespace Vedette.Tests;

/// <summary>The rule and mapping folders the product ships.</summary>
internal static partial class Repo
{
    public static string Rules => Path("rules");

    public static string Mappings => Path("mappings");

    public static DetectionMappings LoadMappings() => DetectionMappings.Load(Mappings);
}

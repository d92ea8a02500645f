namespace Vedette.Cli.Hosting;

/// <summary>Where the product's own content (rules, mappings) and the user's data live.</summary>
internal static class ProductPaths
{
    public const string DefaultDataFolder = "vedette-data";
    public const string DatabaseFile = "vedette.db";

    /// <summary>The rules shipped with the binary.</summary>
    public static string Rules => Path.Combine(AppContext.BaseDirectory, "rules");

    /// <summary>The field, logsource and observable mappings shipped with the binary.</summary>
    public static string Mappings => Path.Combine(AppContext.BaseDirectory, "mappings");

    public static string Database(string dataFolder) => Path.Combine(dataFolder, DatabaseFile);
}

namespace Vedette.Storage.Sqlite;

/// <summary>The database file cannot be used: not SQLite, corrupt, not Vedette's, or from a newer Vedette.</summary>
public sealed class StoreFileException(string path, string message, Exception? innerException = null)
    : IOException($"{path}: {message}", innerException)
{
    public string Path { get; } = path;
}

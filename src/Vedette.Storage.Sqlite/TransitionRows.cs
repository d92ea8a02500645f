using Microsoft.Data.Sqlite;
using Vedette.Domain;

namespace Vedette.Storage.Sqlite;

/// <summary>
/// Lifecycle steps as rows, so that MTTA/MTTR are SQL over (entity, status, time). The document keeps the exact
/// history; these rows are its queryable copy, keyed by position, so writing a history again adds only new steps.
/// </summary>
internal sealed class TransitionRows(SqliteConnection writer) : IDisposable
{
    private readonly Statement _insert = new(writer, """
        INSERT OR IGNORE INTO transitions (entity_kind, entity_id, seq, from_status, to_status, at, actor, is_system, verdict, note)
        VALUES (@kind, @id, @seq, @from, @to, @at, @actor, @system, @verdict, @note)
        """);

    public void Insert(string kind, Guid id, IReadOnlyList<Transition> transitions)
    {
        if (transitions.Count == 0)
        {
            return;
        }
        _insert.Set("@kind", kind);
        _insert.Set("@id", Columns.Id(id));
        for (var seq = 0; seq < transitions.Count; seq++)
        {
            var t = transitions[seq];
            _insert.Set("@seq", seq);
            _insert.Set("@from", (long)t.From);
            _insert.Set("@to", (long)t.To);
            _insert.Set("@at", Columns.Time(t.At));
            _insert.Set("@actor", t.By.Name);
            _insert.Set("@system", t.By.IsSystem ? 1 : 0);
            _insert.Set("@verdict", (long?)t.Verdict);
            _insert.Set("@note", t.Note);
            _insert.Execute();
        }
    }

    public void Dispose() => _insert.Dispose();
}

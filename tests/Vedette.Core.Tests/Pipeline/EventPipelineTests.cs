using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Vedette.Detect;
using Vedette.Domain;
using Vedette.Enrich.Intel;
using Vedette.Enrich;
using Vedette.Ingest;
using Vedette.Pipeline;
using Vedette.Storage;
using Vedette.Storage.Sqlite;
using Vedette.Triage;

namespace Vedette.Tests.Pipeline;

public sealed class EventPipelineTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "vedette-pipeline-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new(Some.Time);
    private SqliteStore _store = null!;

    public async Task InitializeAsync() => _store = await SqliteStore.OpenAsync(Path.Combine(_folder, "vedette.db"), _time, CancellationToken.None);

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private EventPipeline Pipeline(IStore store, ErrorReport errors) =>
        new(new RecordNormalizer(_time), new MarkedEventDetector(_time), new CompositeEnricher([]), new IncidentGrouper(new GroupingOptions(), _time), store, [], errors);

    [Fact]
    public async Task A_record_that_makes_a_stage_throw_is_reported_with_its_line_and_the_rest_goes_on()
    {
        var errors = new ErrorReport();
        var source = new GeneratedSource(batches: 3, linesPerBatch: 10, line: n => n == 17 ? "boom" : "alert");
        var result = await Pipeline(_store, errors).RunAsync(source, CancellationToken.None);

        Assert.Equal(30, result.Lines);
        Assert.Equal(30, result.Events);
        Assert.Equal(29, result.Alerts);
        var error = Assert.Single(errors.Kept);
        Assert.Equal("generated:17", error.Ref.ToString());
        Assert.Equal("detect", error.Stage);
        Assert.Contains("boom on purpose", error.Message, StringComparison.Ordinal);
        Assert.Equal(29, (await _store.CountAsync(CancellationToken.None)).Alerts);
    }

    [Fact]
    public async Task Stopping_the_intake_drains_everything_already_read_into_the_store()
    {
        using var stop = new CancellationTokenSource();
        var source = new GeneratedSource(batches: 1000, linesPerBatch: 10, line: _ => "alert", onBatch: n => { if (n == 5) { stop.Cancel(); } });
        var result = await Pipeline(_store, new ErrorReport()).RunAsync(source, stop.Token);

        Assert.InRange(source.Yielded, 5, 6);
        Assert.Equal(source.Yielded * 10, result.Lines);
        Assert.Equal(result.Lines, result.Alerts);
        Assert.Equal(result.Alerts, (await _store.CountAsync(CancellationToken.None)).Alerts);
    }

    [Fact]
    public async Task A_slow_store_holds_the_reader_back_instead_of_growing_memory()
    {
        var gate = new GatedStore(_store);
        var source = new GeneratedSource(batches: 2000, linesPerBatch: 5, line: _ => "alert");
        var run = Pipeline(gate, new ErrorReport()).RunAsync(source, CancellationToken.None);

        await Task.Delay(1500);
        var readWhileBlocked = source.Yielded;
        // Six channels of eight batches, plus one batch in the hands of each stage: the reader must stop there.
        Assert.InRange(readWhileBlocked, 1, 6 * 8 + 8);
        gate.Open();
        var result = await run;
        Assert.Equal(2000, source.Yielded);
        Assert.Equal(10_000, result.Alerts);
        Assert.Equal(10_000, (await _store.CountAsync(CancellationToken.None)).Alerts);
    }

    /// <summary>Raises one alert per event marked "alert" and throws on events marked "boom".</summary>
    private sealed class MarkedEventDetector(TimeProvider time) : IDetector
    {
        public void Detect(Event e, DetectionOutput output)
        {
            var mark = e.GetText("mark");
            if (mark == "boom")
            {
                throw new InvalidOperationException("boom on purpose");
            }
            var alert = new Alert(Ids.New(time), time.GetUtcNow(), "test-rule", "marked", Severity.Low, AlertOrigin.Rule, e.Timestamp, e.Timestamp);
            alert.AddObservable(Observable.Parse(ObservableType.Host, $"h{e.Ref.Line}.example"));
            output.Alerts.Add(alert);
        }

        public void Flush(DetectionOutput output)
        {
        }
    }

    /// <summary>Lines made up on the fly, batch after batch; counts what it has handed out.</summary>
    private sealed class GeneratedSource(int batches, int linesPerBatch, Func<long, string> line, Action<int>? onBatch = null) : IEventSource
    {
        private int _yielded;

        public string Name => "generated";

        public long? Length => null;

        public int Yielded => Volatile.Read(ref _yielded);

        public async IAsyncEnumerable<LineBatch> ReadAsync(ErrorReport errors, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            long number = 0;
            for (var b = 0; b < batches; b++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var batch = new LineBatch(Name, 64 * 1024);
                for (var i = 0; i < linesPerBatch; i++)
                {
                    number++;
                    batch.TryAdd(Encoding.UTF8.GetBytes($$"""{"@timestamp":"2026-11-02T09:00:00Z","source":"test","mark":"{{line(number)}}"}"""), number);
                }
                Interlocked.Increment(ref _yielded);
                onBatch?.Invoke(_yielded);
                await Task.Yield();
                yield return batch;
            }
        }
    }

    /// <summary>The real store behind a gate: writes wait until the test opens it.</summary>
    private sealed class GatedStore(IStore inner) : IStore
    {
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Open() => _open.TrySetResult();

        public async Task WriteAsync(StoreBatch batch, CancellationToken cancellationToken)
        {
            await _open.Task;
            await inner.WriteAsync(batch, cancellationToken);
        }

        public Task<Alert?> GetAlertAsync(Guid id, CancellationToken cancellationToken) => inner.GetAlertAsync(id, cancellationToken);

        public Task<Page<Alert>> ListAlertsAsync(AlertQuery query, CancellationToken cancellationToken) => inner.ListAlertsAsync(query, cancellationToken);

        public Task<UpdateResult> UpdateAlertAsync(Alert alert, CancellationToken cancellationToken) => inner.UpdateAlertAsync(alert, cancellationToken);

        public Task<Incident?> GetIncidentAsync(Guid id, CancellationToken cancellationToken) => inner.GetIncidentAsync(id, cancellationToken);

        public Task<Page<Incident>> ListIncidentsAsync(IncidentQuery query, CancellationToken cancellationToken) => inner.ListIncidentsAsync(query, cancellationToken);

        public Task<UpdateResult> UpdateIncidentAsync(Incident incident, CancellationToken cancellationToken) => inner.UpdateIncidentAsync(incident, cancellationToken);

        public Task<UpdateResult> RegroupAsync(Regrouping regrouping, CancellationToken cancellationToken) => inner.RegroupAsync(regrouping, cancellationToken);

        public Task ReplaceFeedAsync(FeedStatus status, IReadOnlyCollection<FeedIndicator> indicators, CancellationToken cancellationToken) => inner.ReplaceFeedAsync(status, indicators, cancellationToken);

        public Task SaveFeedStatusAsync(FeedStatus status, CancellationToken cancellationToken) => inner.SaveFeedStatusAsync(status, cancellationToken);

        public Task<IReadOnlyList<FeedStatus>> ListFeedsAsync(CancellationToken cancellationToken) => inner.ListFeedsAsync(cancellationToken);

        public Task<IReadOnlyList<FeedIndicator>> ReadFeedIndicatorsAsync(string feed, CancellationToken cancellationToken) => inner.ReadFeedIndicatorsAsync(feed, cancellationToken);

        public Task<AuditEntry> AppendAuditAsync(string actor, string action, string target, string details, DateTimeOffset at, CancellationToken cancellationToken) =>
            inner.AppendAuditAsync(actor, action, target, details, at, cancellationToken);

        public Task<IReadOnlyList<AuditEntry>> ReadAuditAsync(long afterSequence, int limit, CancellationToken cancellationToken) => inner.ReadAuditAsync(afterSequence, limit, cancellationToken);

        public Task<IReadOnlyList<AuditEntry>> SearchAuditAsync(AuditQuery query, CancellationToken cancellationToken) => inner.SearchAuditAsync(query, cancellationToken);

        public Task<StoreCounts> CountAsync(CancellationToken cancellationToken) => inner.CountAsync(cancellationToken);

        public Task<WorkItemCounts> CountWorkItemsAsync(CancellationToken cancellationToken) => inner.CountWorkItemsAsync(cancellationToken);

        public Task AddSuppressionAsync(Suppression suppression, CancellationToken cancellationToken) => inner.AddSuppressionAsync(suppression, cancellationToken);

        public Task<IReadOnlyList<Suppression>> ListSuppressionsAsync(bool includeRemoved, CancellationToken cancellationToken) => inner.ListSuppressionsAsync(includeRemoved, cancellationToken);

        public Task<bool> RemoveSuppressionAsync(Guid id, string by, DateTimeOffset at, CancellationToken cancellationToken) => inner.RemoveSuppressionAsync(id, by, at, cancellationToken);

        public Task<HoldResult> PlaceHoldAsync(Guid incidentId, LegalHold hold, CancellationToken cancellationToken) => inner.PlaceHoldAsync(incidentId, hold, cancellationToken);

        public Task<HoldResult> ReleaseHoldAsync(Guid incidentId, CancellationToken cancellationToken) => inner.ReleaseHoldAsync(incidentId, cancellationToken);

        public Task<RetentionPlan> PlanRetentionAsync(RetentionPolicy policy, DateTimeOffset now, CancellationToken cancellationToken) => inner.PlanRetentionAsync(policy, now, cancellationToken);

        public Task<RetentionPlan> ApplyRetentionAsync(RetentionPolicy policy, DateTimeOffset now, string actor, CancellationToken cancellationToken) =>
            inner.ApplyRetentionAsync(policy, now, actor, cancellationToken);

        public Task<IReadOnlyList<RuleVerdict>> ReadVerdictsAsync(DateTimeOffset since, CancellationToken cancellationToken) => inner.ReadVerdictsAsync(since, cancellationToken);

        public Task<IReadOnlyList<RuleAlertCount>> ReadRuleCountsAsync(CancellationToken cancellationToken) => inner.ReadRuleCountsAsync(cancellationToken);

        public Task<IReadOnlyList<AlertTiming>> ReadAlertTimingsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) => inner.ReadAlertTimingsAsync(from, to, cancellationToken);

        public Task<IReadOnlyList<OpenIncident>> ReadOpenIncidentsAsync(CancellationToken cancellationToken) => inner.ReadOpenIncidentsAsync(cancellationToken);

        public Task<IReadOnlyList<IncidentTiming>> ReadIncidentTimingsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
            inner.ReadIncidentTimingsAsync(from, to, cancellationToken);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}

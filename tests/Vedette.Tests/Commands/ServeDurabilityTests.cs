using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Vedette.Storage.Sqlite;

namespace Vedette.Tests.Commands;

/// <summary>
/// `vedette serve` killed with SIGKILL while clients are still posting: every line answered 202 must be in the store
/// afterwards. Events themselves are not stored, so each line is an external alert with a rule id of its own: the alert
/// is the line's durable, countable trace.
/// </summary>
public sealed class ServeDurabilityTests
{
    private const int LinesPerRequest = 200;
    private const int AcknowledgedBeforeKill = 30;

    [Fact]
    public async Task Every_line_answered_202_is_in_the_store_after_the_server_is_killed_with_SIGKILL_mid_stream()
    {
        using var folder = new TempFolder();
        var data = folder.File("data");
        var token = await TokenAsync(data);
        var acknowledged = new HashSet<string>(StringComparer.Ordinal);
        var inFlightAtKill = 0;

        using (var server = await ServerProcess.StartAsync(data))
        using (var http = Client(server.Address, token))
        {
            var requests = 0;
            using var stop = new CancellationTokenSource();
            var inFlight = 0;
            var loops = Enumerable.Range(0, 3).Select(_ => Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    var request = Interlocked.Increment(ref requests);
                    var ids = Enumerable.Range(1, LinesPerRequest).Select(line => $"probe:{request}:{line}").ToList();
                    Interlocked.Increment(ref inFlight);
                    try
                    {
                        using var response = await http.PostAsync("/api/v1/events", Ndjson(ids));
                        if (response.StatusCode == HttpStatusCode.Accepted)
                        {
                            lock (acknowledged)
                            {
                                acknowledged.UnionWith(ids);
                            }
                        }
                    }
                    catch (HttpRequestException) when (server.Killed)
                    {
                        return;
                    }
                    finally
                    {
                        Interlocked.Decrement(ref inFlight);
                    }
                }
            })).ToList();

            var clock = Stopwatch.StartNew();
            while (Count(acknowledged) < AcknowledgedBeforeKill * LinesPerRequest && clock.Elapsed < TimeSpan.FromMinutes(2))
            {
                Assert.False(loops.Any(l => l.IsFaulted), "a client loop failed before the kill");
                await Task.Delay(20);
            }
            inFlightAtKill = Volatile.Read(ref inFlight);
            await server.KillAsync(); // SIGKILL: no shutdown, no drain, no checkpoint
            await stop.CancelAsync();
            await Task.WhenAll(loops);
        }
        var answered = Count(acknowledged);
        Assert.True(answered >= AcknowledgedBeforeKill * LinesPerRequest, $"only {answered} lines were acknowledged before the kill");

        // The server comes back on the recovered store and takes more.
        using (var restarted = await ServerProcess.StartAsync(data))
        using (var http = Client(restarted.Address, token))
        {
            List<string> after = ["probe:after-restart:1"];
            using var response = await http.PostAsync("/api/v1/events", Ndjson(after));
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            acknowledged.UnionWith(after);
            await restarted.KillAsync();
        }

        var database = Path.Combine(data, "vedette.db");
        var stored = new HashSet<string>(StringComparer.Ordinal);
        await using (var store = await SqliteStore.OpenAsync(database, TimeProvider.System, CancellationToken.None))
        {
            foreach (var rule in await store.ReadRuleCountsAsync(CancellationToken.None))
            {
                Assert.Equal(1, rule.Alerts);
                stored.Add(rule.RuleId);
            }
        }
        var missing = acknowledged.Where(id => !stored.Contains(id)).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} of {acknowledged.Count} acknowledged lines are not in the store (requests in flight at the kill: {inFlightAtKill}), e.g. {string.Join(", ", missing.Take(5))}");
        using var check = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        check.Open();
        using var command = check.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        Assert.Equal("ok", command.ExecuteScalar());
    }

    private static int Count(HashSet<string> ids)
    {
        lock (ids)
        {
            return ids.Count;
        }
    }

    /// <summary>An analyst and a token, made with the CLI as an operator would.</summary>
    private static async Task<string> TokenAsync(string data)
    {
        await UsersCommandTests.AddUserAsync(data, "shipper", "analyst");
        var (exit, stdout, stderr) = await Cli.RunAsync("tokens", "create", "--user", "shipper", "--format", "json", "--data", data);
        Assert.True(exit == 0, $"exit {exit}: {stderr}");
        using var created = JsonDocument.Parse(stdout);
        return created.RootElement.GetProperty("token").GetString()!;
    }

    private static HttpClient Client(Uri address, string token)
    {
        var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(1) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    /// <summary>One external alert per id; no observables, so that no two fold into one alert.</summary>
    private static StringContent Ndjson(IEnumerable<string> ids) => new(
        string.Concat(ids.Select(id => $$"""{"kind":"alert","@timestamp":"2026-11-02T09:00:00Z","title":"durability probe","severity":"low","ruleId":"{{id}}"}""" + "\n")),
        Encoding.UTF8, "application/x-ndjson");

    /// <summary>`vedette serve` as a child process on a free loopback port, found from its "listening" log line.</summary>
    private sealed class ServerProcess : IDisposable
    {
        private readonly Process _process;

        private ServerProcess(Process process, Uri address)
        {
            _process = process;
            Address = address;
        }

        public Uri Address { get; }

        private volatile bool _killed;

        /// <summary>Set just before the kill: a request that fails from then on failed because of it.</summary>
        public bool Killed => _killed;

        public static async Task<ServerProcess> StartAsync(string data)
        {
            var process = Process.Start(Cli.StartInfo("serve", "--data", data, "--urls", "http://127.0.0.1:0"))!;
            var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
            var output = new StringBuilder();
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is not { Length: > 0 } line)
                {
                    return;
                }
                lock (output)
                {
                    output.AppendLine(line);
                }
                if (line.Contains("\"Urls\"", StringComparison.Ordinal))
                {
                    using var log = JsonDocument.Parse(line);
                    listening.TrySetResult(new Uri(log.RootElement.GetProperty("State").GetProperty("Urls").GetString()!.Split(',')[0].Trim()));
                }
            };
            process.ErrorDataReceived += (_, e) =>
            {
                lock (output)
                {
                    output.AppendLine(e.Data);
                }
            };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            Uri address;
            try
            {
                address = await listening.Task.WaitAsync(TimeSpan.FromMinutes(1));
            }
            catch (TimeoutException)
            {
                process.Kill(entireProcessTree: true);
                process.Dispose();
                lock (output)
                {
                    throw new InvalidOperationException($"vedette serve did not start listening: {output}");
                }
            }
            var server = new ServerProcess(process, address);
            using var http = new HttpClient { BaseAddress = address };
            var clock = Stopwatch.StartNew();
            while ((await http.GetAsync("/health")).StatusCode != HttpStatusCode.OK)
            {
                Assert.True(clock.Elapsed < TimeSpan.FromMinutes(1), "the server did not become ready");
                await Task.Delay(50);
            }
            return server;
        }

        public async Task KillAsync()
        {
            _killed = true;
            _process.Kill(entireProcessTree: true); // SIGKILL on Linux
            await _process.WaitForExitAsync();
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }
            _process.Dispose();
        }
    }
}

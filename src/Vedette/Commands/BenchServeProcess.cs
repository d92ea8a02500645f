using System.Diagnostics;
using System.Text.Json;

namespace Vedette.Cli.Commands;

/// <summary>
/// `vedette serve` as a child process of the benchmark: its own address space, so that its memory is measured apart from
/// the client's pre-generated input, and a process that can be killed with SIGKILL.
/// </summary>
internal sealed class BenchServeProcess : IDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Queue<string> _lastErrors = new();
    private readonly Lock _lock = new();
    private long _warnings;

    private BenchServeProcess(Process process)
    {
        _process = process;
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Warnings and errors the server logged (record errors of lines nobody waits for, failures).</summary>
    public long Warnings => Interlocked.Read(ref _warnings);

    /// <summary>Starts `vedette serve` with the same binary that runs the benchmark, listening on a free loopback port.</summary>
    public static BenchServeProcess Start(IEnumerable<string> serveArguments)
    {
        var executable = Environment.ProcessPath ?? throw new InvalidOperationException("the benchmark's own executable is unknown");
        var info = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (Path.GetFileNameWithoutExtension(executable).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            // Run as `dotnet vedette.dll`: the child is the same assembly.
            info.ArgumentList.Add(typeof(BenchServeProcess).Assembly.Location);
        }
        info.ArgumentList.Add("serve");
        foreach (var argument in serveArguments)
        {
            info.ArgumentList.Add(argument);
        }
        var process = new Process { StartInfo = info };
        var server = new BenchServeProcess(process);
        process.OutputDataReceived += (_, e) => server.OnOutput(e.Data);
        process.ErrorDataReceived += (_, e) => server.OnError(e.Data);
        process.Exited += (_, _) => server._listening.TrySetException(new InvalidOperationException($"vedette serve exited before listening: {server.LastErrors()}"));
        process.EnableRaisingEvents = true;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>The address from the server's "listening" log line, once it is there.</summary>
    public Task<Uri> ListeningAsync(TimeSpan timeout) => _listening.Task.WaitAsync(timeout);

    /// <summary>The resident set now and its peak so far (VmRSS, VmHWM), in bytes; zeros once the process is gone.</summary>
    public (long Rss, long PeakRss) Memory()
    {
        try
        {
            long rss = 0, peak = 0;
            foreach (var line in File.ReadLines($"/proc/{Id}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    rss = Kilobytes(line);
                }
                else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    peak = Kilobytes(line);
                }
            }
            return (rss, peak);
        }
        catch (IOException)
        {
            return (0, 0);
        }
    }

    /// <summary>SIGKILL: no shutdown, no drain, no checkpoint.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public string LastErrors()
    {
        lock (_lock)
        {
            return string.Join(" | ", _lastErrors);
        }
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

    private static long Kilobytes(string line) =>
        long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), System.Globalization.CultureInfo.InvariantCulture) * 1024;

    private void OnOutput(string? line)
    {
        if (string.IsNullOrEmpty(line) || line[0] != '{')
        {
            return;
        }
        try
        {
            using var log = JsonDocument.Parse(line);
            var root = log.RootElement;
            var level = root.TryGetProperty("LogLevel", out var l) ? l.GetString() : null;
            if (level is "Warning" or "Error" or "Critical")
            {
                Interlocked.Increment(ref _warnings);
                Remember(root.TryGetProperty("Message", out var m) ? m.GetString() : line);
            }
            if (root.TryGetProperty("State", out var state) && state.ValueKind == JsonValueKind.Object && state.TryGetProperty("Urls", out var urls)
                && urls.GetString() is { } text)
            {
                _listening.TrySetResult(new Uri(text.Split(',', StringSplitOptions.TrimEntries)[0]));
            }
        }
        catch (JsonException)
        {
            // Not a log line of ours.
        }
    }

    private void OnError(string? line)
    {
        if (!string.IsNullOrEmpty(line))
        {
            Remember(line);
        }
    }

    private void Remember(string? line)
    {
        lock (_lock)
        {
            _lastErrors.Enqueue(line ?? "");
            if (_lastErrors.Count > 5)
            {
                _lastErrors.Dequeue();
            }
        }
    }
}

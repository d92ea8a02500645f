using System.Diagnostics;
using Vedette.Simulation;
using Xunit.Abstractions;

namespace Vedette.Tests.Simulation;

/// <summary>Records generation speed for the log; the guard on speed belongs to a benchmark, not to a timed test.</summary>
public sealed class SimulationSpeedTests(ITestOutputHelper output)
{
    [Fact]
    public void Generating_200000_events_reports_its_time_and_writes_them_all()
    {
        var counter = new CountingStream();
        var watch = Stopwatch.StartNew();

        var result = new AttackSimulator().Run(new SimulationOptions(200_000, 99), counter);

        watch.Stop();
        output.WriteLine($"200000 events, {counter.Length / 1_000_000.0:F1} MB in {watch.ElapsedMilliseconds} ms");
        Assert.Equal(200_000, result.Events);
        Assert.Equal(200_000, counter.Lines);
    }

    /// <summary>Counts what is written without keeping it, so the measurement is of the simulator, not of memory.</summary>
    private sealed class CountingStream : Stream
    {
        public long Lines { get; private set; }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => Position;

        public override long Position { get; set; }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            Lines += buffer.Count((byte)'\n');
            Position += buffer.Length;
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}

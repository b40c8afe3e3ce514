using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Orleans.AdClicks.Tests.Infrastructure;

/// <summary>
/// Sums the long measurements of the named meter created by the given meter factories (one per silo),
/// so tests running side by side in this process never see each other's measurements.
/// </summary>
public sealed class MeasurementRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<(string Instrument, string? Tags), long> _sums = new();

    public MeasurementRecorder(string meterName, IReadOnlyCollection<IMeterFactory> scopes)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == meterName && scopes.Contains(instrument.Meter.Scope))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var tagText = tags.Length == 0 ? null : string.Join(",", tags.ToArray().Select(t => $"{t.Key}={t.Value}"));
            _sums.AddOrUpdate((instrument.Name, tagText), value, (_, sum) => sum + value);
        });
        _listener.Start();
    }

    /// <summary>The sum of the instrument's measurements with exactly these tags ("key=value,…"; null for none).</summary>
    public long Sum(string instrument, string? tags = null) => _sums.GetValueOrDefault((instrument, tags));

    public void Dispose() => _listener.Dispose();
}

using System.Collections.Concurrent;

namespace Orleans.AdClicks.Tests.Api;

/// <summary>Counts the calls a silo receives per grain interface and method, to tell a grain hop from an in-process read.</summary>
public sealed class GrainCallRecorder : IIncomingGrainCallFilter
{
    private readonly ConcurrentDictionary<(Type Interface, string Method), int> _calls = new();

    public int CallsTo<TGrainInterface>()
        where TGrainInterface : IAddressable =>
        _calls.Where(c => c.Key.Interface == typeof(TGrainInterface)).Sum(c => c.Value);

    public int CallsTo<TGrainInterface>(string method)
        where TGrainInterface : IAddressable =>
        _calls.GetValueOrDefault((typeof(TGrainInterface), method));

    public Task Invoke(IIncomingGrainCallContext context)
    {
        if (context.InterfaceMethod is { DeclaringType: { } grainInterface } method)
        {
            _calls.AddOrUpdate((grainInterface, method.Name), 1, (_, calls) => calls + 1);
        }

        return context.Invoke();
    }
}

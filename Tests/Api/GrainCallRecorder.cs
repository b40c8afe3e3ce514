using System.Collections.Concurrent;

namespace Orleans.AdClicks.Tests.Api;

/// <summary>Counts the calls a silo receives per grain interface, to tell a grain hop from an in-process read.</summary>
public sealed class GrainCallRecorder : IIncomingGrainCallFilter
{
    private readonly ConcurrentDictionary<Type, int> _calls = new();

    public int CallsTo<TGrainInterface>()
        where TGrainInterface : IAddressable =>
        _calls.GetValueOrDefault(typeof(TGrainInterface));

    public Task Invoke(IIncomingGrainCallContext context)
    {
        if (context.InterfaceMethod?.DeclaringType is { } grainInterface)
        {
            _calls.AddOrUpdate(grainInterface, 1, (_, calls) => calls + 1);
        }

        return context.Invoke();
    }
}

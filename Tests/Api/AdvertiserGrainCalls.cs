namespace Orleans.AdClicks.Tests.Api;

/// <summary>Counts calls that reach any advertiser grain (each could activate one and read its state).</summary>
public sealed class AdvertiserGrainCalls : IIncomingGrainCallFilter
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public Task Invoke(IIncomingGrainCallContext context)
    {
        if (context.InterfaceMethod?.DeclaringType == typeof(IAdvertiserGrain))
        {
            Interlocked.Increment(ref _count);
        }

        return context.Invoke();
    }
}

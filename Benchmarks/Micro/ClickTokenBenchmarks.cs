using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Orleans.AdClicks.Tokens;

namespace Orleans.AdClicks.Benchmarks.Micro;

/// <summary>
/// What verifying a beacon's token costs beyond the HMAC itself: the baseline computes only
/// HMAC-SHA256 over a payload of the same size.
/// </summary>
[MemoryDiagnoser]
[WarmupCount(3)]
[IterationCount(10)]
public class ClickTokenBenchmarks
{
    private readonly SigningKey _key = new("k1", RandomNumberGenerator.GetBytes(32));
    private readonly byte[] _payload = RandomNumberGenerator.GetBytes(68);
    private readonly byte[] _mac = new byte[32];
    private SigningKeyRing _ring = null!;
    private string _token = "";

    [GlobalSetup]
    public void Setup()
    {
        _ring = new SigningKeyRing([new SigningKey("k0", RandomNumberGenerator.GetBytes(32)), _key]);
        var now = DateTimeOffset.UtcNow;
        _token = ClickTokenCodec.Encode(new ClickToken(_key.Id, Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), now, now.AddDays(1)), _key);
    }

    [Benchmark(Baseline = true)]
    public int HmacOnly() => HMACSHA256.HashData(_key.Secret, _payload, _mac);

    [Benchmark]
    public TokenVerdict DecodeAndVerify() => ClickTokenCodec.TryDecode(_token, _ring, out _);
}

using System.Buffers.Text;
using System.Security.Cryptography;
using Orleans.AdClicks.Tokens;

namespace Orleans.AdClicks.Tests.Tokens;

public sealed class ClickTokenCodecTests
{
    private static readonly SigningKey Key1 = new("k1", RandomNumberGenerator.GetBytes(32));
    private static readonly SigningKey Key2 = new("k2", RandomNumberGenerator.GetBytes(32));
    private static readonly DateTimeOffset Issued = new(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);

    private static ClickToken NewToken(SigningKey key) =>
        new(key.Id, Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Issued, Issued.AddDays(1));

    [Fact]
    public void Decode_SignedToken_RoundTrips()
    {
        var token = NewToken(Key1);

        var text = ClickTokenCodec.Encode(token, Key1);
        var verdict = ClickTokenCodec.TryDecode(text, new SigningKeyRing([Key1]), out var decoded);

        Assert.Equal(TokenVerdict.Valid, verdict);
        Assert.Equal(token, decoded);
        Assert.True(text.Length <= ClickTokenCodec.MaxTokenLength);
    }

    [Fact]
    public void Decode_TokenOfRetiredButKnownKey_IsValid()
    {
        var text = ClickTokenCodec.Encode(NewToken(Key1), Key1);

        var verdict = ClickTokenCodec.TryDecode(text, new SigningKeyRing([Key2, Key1]), out _);

        Assert.Equal(TokenVerdict.Valid, verdict);
    }

    [Fact]
    public void Decode_TokenOfUnknownKey_IsForged()
    {
        var text = ClickTokenCodec.Encode(NewToken(Key1), Key1);

        var verdict = ClickTokenCodec.TryDecode(text, new SigningKeyRing([Key2]), out var decoded);

        Assert.Equal(TokenVerdict.Forged, verdict);
        Assert.Null(decoded);
    }

    [Fact]
    public void Decode_KeyIdSwappedToAnotherKnownKey_IsForged()
    {
        var forger = new SigningKey("k2", Key1.Secret);
        var text = ClickTokenCodec.Encode(NewToken(forger), forger);

        var verdict = ClickTokenCodec.TryDecode(text, new SigningKeyRing([Key1, Key2]), out _);

        Assert.Equal(TokenVerdict.Forged, verdict);
    }

    [Fact]
    public void Decode_TamperedPayload_IsForged()
    {
        var text = ClickTokenCodec.Encode(NewToken(Key1), Key1);
        var dot = text.IndexOf('.');
        var payload = Base64Url.DecodeFromChars(text.AsSpan(0, dot));
        payload[^1] ^= 1;
        var tampered = Base64Url.EncodeToString(payload) + text[dot..];

        var verdict = ClickTokenCodec.TryDecode(tampered, new SigningKeyRing([Key1]), out _);

        Assert.Equal(TokenVerdict.Forged, verdict);
    }

    [Fact]
    public void Decode_TamperedSignature_IsForged()
    {
        var text = ClickTokenCodec.Encode(NewToken(Key1), Key1);
        var flipped = text[^2] == 'A' ? 'B' : 'A';
        var tampered = text[..^2] + flipped + text[^1];

        var verdict = ClickTokenCodec.TryDecode(tampered, new SigningKeyRing([Key1]), out _);

        Assert.NotEqual(TokenVerdict.Valid, verdict);
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("abc.def")]
    [InlineData("....")]
    [InlineData("not base64!.x")]
    [InlineData("AQ.AQ")]
    public void Decode_Garbage_IsMalformed(string text)
    {
        var verdict = ClickTokenCodec.TryDecode(text, new SigningKeyRing([Key1]), out _);

        Assert.Equal(TokenVerdict.Malformed, verdict);
    }

    [Fact]
    public void Decode_TruncatedToken_IsRefused()
    {
        var text = ClickTokenCodec.Encode(NewToken(Key1), Key1);

        var verdicts = Enumerable.Range(1, text.Length - 1).Select(n => ClickTokenCodec.TryDecode(text.AsSpan(0, n), new SigningKeyRing([Key1]), out _));

        Assert.All(verdicts, v => Assert.NotEqual(TokenVerdict.Valid, v));
    }

    [Fact]
    public void Decode_OversizedToken_IsMalformed()
    {
        var text = ClickTokenCodec.Encode(NewToken(Key1), Key1) + new string('A', ClickTokenCodec.MaxTokenLength);

        var verdict = ClickTokenCodec.TryDecode(text, new SigningKeyRing([Key1]), out _);

        Assert.Equal(TokenVerdict.Malformed, verdict);
    }

    [Fact]
    public void IsExpiredAt_AtAndAfterExpiry_IsTrue()
    {
        var token = NewToken(Key1);

        Assert.False(token.IsExpiredAt(token.ExpiresAt.AddSeconds(-1)));
        Assert.True(token.IsExpiredAt(token.ExpiresAt));
    }

    [Theory]
    [InlineData("nocolon")]
    [InlineData(":c2VjcmV0")]
    [InlineData("k1:not-base64!")]
    [InlineData("k1:c2hvcnQ=")]
    [InlineData("bad id:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    public void SigningKeyParse_BadForm_Throws(string value)
    {
        Assert.Throws<FormatException>(() => SigningKey.Parse(value));
    }

    [Fact]
    public void SigningKeyParse_FormattedKey_RoundTrips()
    {
        var parsed = SigningKey.Parse(Key1.Format());

        Assert.Equal(Key1.Id, parsed.Id);
        Assert.Equal(Key1.Secret, parsed.Secret);
        Assert.DoesNotContain(Convert.ToBase64String(Key1.Secret), parsed.ToString());
    }
}

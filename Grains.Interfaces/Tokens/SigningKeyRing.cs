using System.Text;

namespace Orleans.AdClicks.Tokens;

/// <summary>The keys tokens may be signed with; the first signs, all verify (for rotation).</summary>
public sealed class SigningKeyRing
{
    private readonly SigningKey[] _keys;

    public SigningKeyRing(IEnumerable<SigningKey> keys)
    {
        _keys = [.. keys];
        if (_keys.Length == 0)
        {
            throw new ArgumentException("At least one signing key is needed.", nameof(keys));
        }

        if (_keys.Select(k => k.Id).Distinct(StringComparer.Ordinal).Count() != _keys.Length)
        {
            throw new ArgumentException("Signing key ids must be unique.", nameof(keys));
        }
    }

    /// <summary>The key that signs new tokens.</summary>
    public SigningKey Current => _keys[0];

    /// <summary>The key whose ASCII id is <paramref name="id"/>, or null.</summary>
    public SigningKey? Find(ReadOnlySpan<byte> id)
    {
        Span<char> chars = stackalloc char[SigningKey.MaxIdLength];
        if (id.Length > SigningKey.MaxIdLength || Ascii.ToUtf16(id, chars, out var written) != System.Buffers.OperationStatus.Done)
        {
            return null;
        }

        foreach (var key in _keys)
        {
            if (key.Id.AsSpan().SequenceEqual(chars[..written]))
            {
                return key;
            }
        }

        return null;
    }
}

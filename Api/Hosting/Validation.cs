using Orleans.AdClicks.Api.Auth;

namespace Orleans.AdClicks.Api.Hosting;

/// <summary>Field checks that collect every error, for one 400 answer naming each bad field.</summary>
public sealed class Validation
{
    private readonly Dictionary<string, string[]> _errors = [];

    public bool IsValid => _errors.Count == 0;

    public IDictionary<string, string[]> Errors => _errors;

    /// <summary>A required, trimmed text of at most <paramref name="maxLength"/> characters.</summary>
    public string Text(string field, string? value, int maxLength = 200)
    {
        var trimmed = value?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            Add(field, $"'{field}' is required.");
        }
        else if (trimmed.Length > maxLength)
        {
            Add(field, $"'{field}' has at most {maxLength} characters.");
        }

        return trimmed;
    }

    /// <summary>
    /// The advertiser that will own what <paramref name="caller"/> creates: its own, or for the admin the named one, which
    /// must exist. <paramref name="creating"/> says what in the error ("creates a campaign"); null when invalid.
    /// </summary>
    public async Task<Guid?> OwnerAsync(CurrentAdvertiser caller, Guid? named, IGrainFactory grains, string creating)
    {
        if (caller.IsAdmin && named is null)
        {
            Add("advertiserId", $"'advertiserId' is required when the admin {creating}.");
        }
        else if (!caller.IsAdmin && named is { } other && other != caller.AdvertiserId)
        {
            Add("advertiserId", "'advertiserId' can only be the caller's own.");
        }
        else if (caller.IsAdmin && await grains.GetGrain<IAdvertiserGrain>(named!.Value).GetAsync() is null)
        {
            Add("advertiserId", "No advertiser has this id.");
        }
        else
        {
            return caller.IsAdmin ? named : caller.AdvertiserId;
        }

        return null;
    }

    /// <summary>An absolute http or https URL.</summary>
    public string HttpUrl(string field, string? value)
    {
        var text = Text(field, value, maxLength: 2048);
        if (text.Length > 0 && !(Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)))
        {
            Add(field, $"'{field}' must be an absolute http or https URL.");
        }

        return text;
    }

    /// <summary>A field the client may send back as read but not change: refused when sent with another value.</summary>
    public void ReadOnly<T>(string field, T? sent, T current, string why)
        where T : struct
    {
        if (sent is { } value && !EqualityComparer<T>.Default.Equals(value, current))
        {
            Add(field, $"'{field}' is read-only: {why}.");
        }
    }

    /// <summary>A read-only text field, compared without regard to case.</summary>
    public void ReadOnly(string field, string? sent, string current, string why)
    {
        if (sent is not null && !string.Equals(sent, current, StringComparison.OrdinalIgnoreCase))
        {
            Add(field, $"'{field}' is read-only: {why}.");
        }
    }

    /// <summary>An optional id in the query: null when absent, and a problem when it is not a GUID.</summary>
    public Guid? OptionalId(string field, string? value)
    {
        if (value is null)
        {
            return null;
        }

        if (Guid.TryParse(value, out var id))
        {
            return id;
        }

        Add(field, $"'{field}' is an id (a GUID).");
        return null;
    }

    /// <summary>The page number and size a listing asks for (1 and 50 when not given), problems added for bad ones.</summary>
    public (int Number, int Size) Page(int? page, int? pageSize, int maxPageSize)
    {
        if (page is < 1)
        {
            Add("page", "'page' starts at 1.");
        }

        if (pageSize is < 1 || pageSize > maxPageSize)
        {
            Add("pageSize", $"'pageSize' is from 1 to {maxPageSize}.");
        }

        return (page ?? 1, pageSize ?? 50);
    }

    public void Add(string field, string message) =>
        _errors[field] = _errors.TryGetValue(field, out var existing) ? [.. existing, message] : [message];
}

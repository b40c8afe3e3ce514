using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Orleans.AdClicks.Enrichment;

/// <summary>The "AdClicks:Enrichment" section.</summary>
public sealed class EnrichmentOptions
{
    public const string Section = "AdClicks:Enrichment";

    /// <summary>A MaxMind-format (mmdb) country database, e.g. GeoLite2-Country.mmdb; unset: events get no country.</summary>
    public string? CountryDatabasePath { get; set; }

    /// <summary>Distinct user agents whose classes are kept (a few hundred bytes each); a miss runs uap-core's rules.</summary>
    public int UserAgentCacheSize { get; set; } = 50_000;
}

/// <summary>Fails startup when the country database is set but cannot be opened, with the reason.</summary>
internal sealed class EnrichmentOptionsValidation : IValidateOptions<EnrichmentOptions>
{
    public ValidateOptionsResult Validate(string? name, EnrichmentOptions options)
    {
        try
        {
            EventEnricher.OpenCountries(options.CountryDatabasePath)?.Dispose();
            return ValidateOptionsResult.Success;
        }
        catch (InvalidOperationException ex)
        {
            return ValidateOptionsResult.Fail(ex.Message);
        }
    }
}

public static class EnrichmentServiceCollectionExtensions
{
    /// <summary>The event enricher and its options; the rules are loaded and the country database opened (and checked) at startup.</summary>
    public static IServiceCollection AddEventEnrichment(this IServiceCollection services)
    {
        services.AddOptions<EnrichmentOptions>().BindConfiguration(EnrichmentOptions.Section)
            .Validate(o => o.UserAgentCacheSize > 0, "AdClicks:Enrichment:UserAgentCacheSize must be positive.").ValidateOnStart();
        services.AddSingleton<IValidateOptions<EnrichmentOptions>, EnrichmentOptionsValidation>();
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<EnrichmentOptions>>().Value;
            return new EventEnricher(UserAgentRules.Load(UserAgentRules.DefaultPath), EventEnricher.OpenCountries(options.CountryDatabasePath), options.UserAgentCacheSize);
        });
        services.AddHostedService<EventEnricherWarmUp>();
        return services;
    }
}

using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Orleans.AdClicks.Api.Auth;
using Scalar.AspNetCore;

namespace Orleans.AdClicks.Api.Hosting;

/// <summary>
/// The OpenAPI document at /openapi/v1.json and the Scalar API reference at /scalar/v1, both
/// anonymous and served in every environment: they describe the contract, never data or secrets.
/// </summary>
public static class OpenApiExtensions
{
    public const string DocumentName = "v1";
    public const string DocumentPath = "/openapi/{documentName}.json";
    public const string ReferencePath = "/scalar";

    private const string BeaconsTag = "Beacons";
    private const string HealthTag = "Health";

    /// <summary>Registers the document with the X-Api-Key security scheme on every /api operation.</summary>
    public static IHostApplicationBuilder AddAdClicksOpenApi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOpenApi(DocumentName, options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                Describe(document);
                AddApiKeyScheme(document);
                DescribeBeacons(document);
                AddHealthPaths(document);
                return Task.CompletedTask;
            });
        });
        return builder;
    }

    /// <summary>Maps the document and the interactive reference page.</summary>
    public static IEndpointRouteBuilder MapAdClicksOpenApi(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi(DocumentPath).AllowAnonymous();
        app.MapScalarApiReference(ReferencePath, options => options
                .WithTitle("Orleans.AdClicks API")
                .AddPreferredSecuritySchemes([ApiKeyAuthenticationHandler.SchemeName]))
            .AllowAnonymous();
        return app;
    }

    private static void Describe(OpenApiDocument document)
    {
        document.Info.Title = "Orleans.AdClicks";
        document.Info.Description =
            "Ad click aggregator. Every /api call carries an X-Api-Key header (the admin key or an advertiser's key); "
            + "the beacons /c/{token} and /v/{token} and the health endpoints are anonymous. "
            + "Errors are RFC 9457 problem+json; a rate-limited request answers 429 with Retry-After.";
    }

    /// <summary>Declares X-Api-Key once and requires it on the operations under /api.</summary>
    private static void AddApiKeyScheme(OpenApiDocument document)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[ApiKeyAuthenticationHandler.SchemeName] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = ApiKeyAuthenticationHandler.HeaderName,
            Description = "The admin API key, or the key an advertiser received when it was created.",
        };

        var requirement = new OpenApiSecurityRequirement
        {
            [new OpenApiSecuritySchemeReference(ApiKeyAuthenticationHandler.SchemeName, document)] = [],
        };
        foreach (var (path, item) in document.Paths)
        {
            if (!path.StartsWith("/api/", StringComparison.Ordinal) || item.Operations is null)
            {
                continue;
            }

            foreach (var operation in item.Operations.Values)
            {
                operation.Security ??= [];
                operation.Security.Add(requirement);
                operation.Responses ??= [];
                operation.Responses.TryAdd("401", new OpenApiResponse { Description = "No or an unknown API key." });
                operation.Responses.TryAdd("429", new OpenApiResponse { Description = "Too many requests with this API key; see Retry-After." });
            }
        }

    }

    /// <summary>Names the beacons' tag after the feature (the generator uses the class name) and notes their limit.</summary>
    private static void DescribeBeacons(OpenApiDocument document)
    {
        foreach (var beacon in new[] { "/c/{token}", "/v/{token}" })
        {
            if (document.Paths.TryGetValue(beacon, out var item) && item.Operations is not null)
            {
                foreach (var operation in item.Operations.Values)
                {
                    operation.Tags = new HashSet<OpenApiTagReference> { new(BeaconsTag, document) };
                    operation.Responses ??= [];
                    operation.Responses.TryAdd("429", new OpenApiResponse { Description = "Too many beacons from this client address; see Retry-After." });
                }
            }
        }

        document.Tags = new HashSet<OpenApiTag>((document.Tags ?? Enumerable.Empty<OpenApiTag>()).Where(tag => tag.Name != nameof(Beacons.BeaconsApi)));
        document.Tags.Add(new OpenApiTag { Name = BeaconsTag });
        document.Tags.Add(new OpenApiTag { Name = HealthTag });
    }

    /// <summary>Health checks are not minimal-API handlers, so the generator does not see them.</summary>
    private static void AddHealthPaths(OpenApiDocument document)
    {
        AddHealthPath(document, "/health/live", "Live", "200 while the process runs.");
        AddHealthPath(document, "/health/ready", "Ready", "200 when the cluster answers a grain call, 503 when it does not.");
    }

    private static void AddHealthPath(OpenApiDocument document, string path, string name, string summary)
    {
        var operation = new OpenApiOperation
        {
            OperationId = name,
            Summary = summary,
            Tags = new HashSet<OpenApiTagReference> { new(HealthTag, document) },
            Responses = new OpenApiResponses
            {
                ["200"] = new OpenApiResponse { Description = "Healthy" },
                ["503"] = new OpenApiResponse { Description = "Unhealthy" },
            },
        };
        var item = new OpenApiPathItem();
        item.AddOperation(HttpMethod.Get, operation);
        document.Paths[path] = item;
    }
}

using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Orleans.AdClicks.Api.Auth;
using Orleans.AdClicks.Api.Tokens;
using Orleans.AdClicks.Hosting;

namespace Orleans.AdClicks.Tests.Deployment;

/// <summary>
/// What the compiled deployment must keep: no key anywhere (shared key and local auth off, no secret in an output),
/// each app's identity with exactly its data roles, and app settings that are the configuration keys the apps read.
/// </summary>
[Trait("Category", "Bicep")]
public sealed partial class ArmTemplateTests(CompiledTemplate compiled) : IClassFixture<CompiledTemplate>
{
    private const string TableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";
    private const string EventHubsDataReceiver = "a638d3c7-ab3a-418d-83e6-5f17a39d4fde";
    private const string EventHubsDataSender = "2b629674-e913-4c01-ae53-ef4638d8f975";
    private const string KeyVaultSecretsUser = "4633458b-17de-408a-b874-0445c86b69e6";

    // The variable DefaultAzureCredential reads the user-assigned identity's client id from.
    private const string AzureClientId = "AZURE_CLIENT_ID";

    private static readonly string[] BroadRoles =
    [
        "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", // Owner
        "b24988ac-6180-42a0-ab88-20f7382dd24c", // Contributor
        "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9", // User Access Administrator
    ];

    [Fact]
    public void StorageAccounts_SharedKeyOffTls12()
    {
        var accounts = compiled.OfType("Microsoft.Storage/storageAccounts").ToList();

        Assert.Equal(2, accounts.Count); // the cluster account and the raw click accounts' loop
        Assert.Contains(accounts, a => a.Resource.TryGetProperty("copy", out _));
        Assert.All(accounts, account =>
        {
            var properties = CompiledTemplate.Resolve(account.Template, account.Resource.GetProperty("properties"));
            Assert.False(properties.GetProperty("allowSharedKeyAccess").GetBoolean());
            Assert.Equal("TLS1_2", properties.GetProperty("minimumTlsVersion").GetString());
            Assert.True(properties.GetProperty("supportsHttpsTrafficOnly").GetBoolean());
            Assert.False(properties.GetProperty("allowBlobPublicAccess").GetBoolean());
        });
    }

    [Fact]
    public void EventHubs_KafkaOnLocalAuthOff()
    {
        var ns = Assert.Single(compiled.OfType("Microsoft.EventHub/namespaces"));
        var properties = ns.Resource.GetProperty("properties");

        Assert.True(properties.GetProperty("kafkaEnabled").GetBoolean());
        Assert.True(properties.GetProperty("disableLocalAuth").GetBoolean());
        // Basic has no Kafka endpoint.
        var tiers = ns.Template.GetProperty("parameters").GetProperty("sku").GetProperty("allowedValues").EnumerateArray().Select(v => v.GetString());
        Assert.DoesNotContain("Basic", tiers);
        Assert.Equal(32, compiled.Main.GetProperty("parameters").GetProperty("partitionCount").GetProperty("defaultValue").GetInt32());
    }

    [Fact]
    public void Kusto_StreamingIngestionAndSchemaScript()
    {
        var cluster = Assert.Single(compiled.OfType("Microsoft.Kusto/clusters"));
        Assert.True(cluster.Resource.GetProperty("properties").GetProperty("enableStreamingIngest").GetBoolean());

        var script = Assert.Single(compiled.OfType("Microsoft.Kusto/clusters/databases/scripts"));
        var properties = script.Resource.GetProperty("properties");
        var content = CompiledTemplate.Resolve(script.Template, properties.GetProperty("scriptContent")).GetString();
        var schema = File.ReadAllText(Path.Combine(BicepCli.TemplatesDirectory, "..", "kusto", "schema.kql"));
        Assert.Equal(schema, content);
        // Rerun when the file changes: the tag is the file's hash.
        Assert.Matches(@"^\[uniqueString\(variables\('schema'\)\)\]$", properties.GetProperty("forceUpdateTag").GetString());
    }

    [Fact]
    public void Outputs_NoSecret()
    {
        var outputs = compiled.Templates()
            .Where(t => t.TryGetProperty("outputs", out _))
            .SelectMany(t => t.GetProperty("outputs").EnumerateObject())
            .ToList();

        Assert.NotEmpty(outputs);
        Assert.All(outputs, output =>
        {
            Assert.DoesNotMatch(SecretName(), output.Name);
            Assert.DoesNotContain("secure", output.Value.GetProperty("type").GetString()!, StringComparison.OrdinalIgnoreCase);
            var value = output.Value.TryGetProperty("value", out var v) ? v.GetRawText() : output.Value.GetProperty("copy").GetRawText();
            Assert.DoesNotMatch(SecretExpression(), value);
        });
    }

    [Fact]
    public void RoleAssignments_EachIdentityExactlyItsDataRoles()
    {
        var assignments = compiled.OfType("Microsoft.Authorization/roleAssignments").Select(a =>
        {
            var properties = a.Resource.GetProperty("properties");
            Assert.StartsWith("[guid(", a.Resource.GetProperty("name").GetString(), StringComparison.Ordinal);
            Assert.Equal("ServicePrincipal", properties.GetProperty("principalType").GetString());
            return (a.Module, App: App(properties.GetProperty("principalId").GetString()!), Role: RoleId(a.Template, properties.GetProperty("roleDefinitionId").GetString()!));
        }).ToList();

        Assert.DoesNotContain(assignments, a => BroadRoles.Contains(a.Role));
        Assert.Equal(
            [
                ("eventhubs", "api", EventHubsDataSender),
                ("eventhubs", "silo", EventHubsDataReceiver),
                ("keyvault", "api", KeyVaultSecretsUser),
                ("storage", "api", TableDataContributor), // the cluster account's membership table
                ("storage", "silo", TableDataContributor), // the cluster account
                ("storage", "silo", TableDataContributor), // every raw click account
            ],
            assignments.Order());
        AssertIdentitiesAreTheApps();
    }

    [Fact]
    public void KustoPrincipals_SilosIngestAndView_ApiViews()
    {
        var principals = compiled.OfType("Microsoft.Kusto/clusters/databases/principalAssignments").Select(a =>
        {
            var properties = a.Resource.GetProperty("properties");
            // A child of the database, named by guid(database, identity, role).
            Assert.Matches(@", guid\(resourceId\('Microsoft\.Kusto/clusters/databases', .*resourceId\('Microsoft\.ManagedIdentity/userAssignedIdentities'", a.Resource.GetProperty("name").GetString());
            Assert.Equal("App", properties.GetProperty("principalType").GetString());
            Assert.EndsWith(".clientId]", properties.GetProperty("principalId").GetString(), StringComparison.Ordinal);
            return (App: App(properties.GetProperty("principalId").GetString()!), Role: properties.GetProperty("role").GetString()!);
        });

        Assert.Equal([("api", "Viewer"), ("silo", "Ingestor"), ("silo", "Viewer")], principals.Order());
    }

    [Fact]
    public void SiloSettings_AreTheKeysTheSiloReads()
    {
        string[] expected =
        [
            .. SharedKeys(),
            $"{EventHubsOptions.Section}:{nameof(EventHubsOptions.ConsumerGroup)}",
            $"{EventHubsOptions.Section}:{nameof(EventHubsOptions.CheckpointTable)}",
            $"{AdClicksClusterOptions.Section}:{nameof(AdClicksClusterOptions.SiloPort)}",
            $"{AdClicksClusterOptions.Section}:{nameof(AdClicksClusterOptions.GatewayPort)}",
            $"{AdClicksClusterOptions.Section}:{nameof(AdClicksClusterOptions.HealthPort)}",
            $"{RawClickStoreServiceExtensions.Section}:ConnectionStrings:0",
        ];

        Assert.Equal(expected.Order(StringComparer.OrdinalIgnoreCase), Settings("silo").Order(StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase);
    }

    [Fact]
    public void ApiSettings_AreTheKeysTheApiReads_SecretsFromKeyVault()
    {
        string[] secrets =
        [
            AuthOptions.AdminKeyKey,
            AuthOptions.ApiKeyMacKeyKey,
            $"{ClickTokenOptions.Section}:{nameof(ClickTokenOptions.SigningKeys)}:0",
        ];
        string[] expected =
        [
            .. SharedKeys(),
            $"{AdClicksClusterOptions.Section}:{nameof(AdClicksClusterOptions.Mode)}",
            WebHostDefaults.HttpPortsKey,
            .. secrets,
        ];

        // Configuration keys are case-insensitive (ASPNETCORE_HTTP_PORTS is "http_ports").
        Assert.Equal(expected.Order(StringComparer.OrdinalIgnoreCase), Settings("api").Order(StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase);
        var secretNames = compiled.Deployment("api").GetProperty("properties").GetProperty("parameters").GetProperty("secretNames").GetProperty("value");
        var referenced = CompiledTemplate.Resolve(compiled.Main, secretNames).EnumerateObject().Select(p => ConfigurationKey(p.Name));
        Assert.Equal(secrets.Order(StringComparer.Ordinal), referenced.Order(StringComparer.Ordinal));
        var api = Assert.Single(compiled.OfType("Microsoft.App/containerApps"), a => a.Module == "api");
        var secretsCopy = Assert.Single(api.Resource.GetProperty("properties").GetProperty("configuration").GetProperty("copy").EnumerateArray());
        Assert.Equal("secrets", secretsCopy.GetProperty("name").GetString());
        var input = secretsCopy.GetProperty("input");
        Assert.Contains(".vaultUri", input.GetProperty("keyVaultUrl").GetString(), StringComparison.Ordinal);
        Assert.Equal("[parameters('identityId')]", input.GetProperty("identity").GetString());
    }

    [Fact]
    public void Settings_EndpointForms_NoKeys()
    {
        var env = string.Join('\n', new[] { "silo", "api" }.Select(app => compiled.Deployment(app).GetProperty("properties").GetProperty("parameters").GetProperty("env").GetProperty("value").GetString()));
        var text = compiled.Main.GetRawText();

        Assert.DoesNotMatch(@"(?i)AccountKey|SharedAccessKey|listKeys|Application Key", text);
        Assert.Contains("outputs.clusterTableEndpoint.value", env, StringComparison.Ordinal);
        Assert.Contains("outputs.host.value", env, StringComparison.Ordinal);
        var kusto = compiled.Module("kusto").GetProperty("outputs").GetProperty("connection").GetProperty("value").GetString();
        Assert.StartsWith("[format('Data Source={0};Initial Catalog={1}'", kusto, StringComparison.Ordinal);
        var storage = compiled.Module("storage").GetProperty("outputs").GetProperty("clusterTableEndpoint").GetProperty("value").GetString();
        Assert.EndsWith(".primaryEndpoints.table]", storage, StringComparison.Ordinal);
    }

    // What both apps read: the three connections and the hub.
    private static string[] SharedKeys() =>
    [
        AdClicksBackends.ConnectionKey(Backend.AzureStorage),
        AdClicksBackends.ConnectionKey(Backend.EventHubs),
        AdClicksBackends.ConnectionKey(Backend.Kusto),
        $"{EventHubsOptions.Section}:{nameof(EventHubsOptions.Hub)}",
        AzureClientId,
    ];

    /// <summary>The configuration keys an app's env entries set: those main passes and those the module adds.</summary>
    private IEnumerable<string> Settings(string app)
    {
        var parameters = compiled.Deployment(app).GetProperty("properties").GetProperty("parameters");
        var container = Assert.Single(compiled.OfType("Microsoft.App/containerApps"), a => a.Module == app)
            .Resource.GetProperty("properties").GetProperty("template").GetProperty("containers")[0];
        var names = CompiledTemplate.SettingNames(parameters.GetProperty("env").GetProperty("value").GetString()!)
            .Concat(CompiledTemplate.SettingNames(container.GetProperty("env").GetString()!));
        if (parameters.TryGetProperty("secretNames", out var secretNames))
        {
            names = names.Concat(CompiledTemplate.Resolve(compiled.Main, secretNames.GetProperty("value")).EnumerateObject().Select(p => p.Name));
        }

        return names.Select(ConfigurationKey);
    }

    // Container Apps env names use __ for :, and ASPNETCORE_ is the host's prefix (ASPNETCORE_HTTP_PORTS is "http_ports").
    private static string ConfigurationKey(string name) =>
        (name.StartsWith("ASPNETCORE_", StringComparison.Ordinal) ? name["ASPNETCORE_".Length..] : name).Replace("__", ":", StringComparison.Ordinal);

    private static string App(string principalExpression) =>
        IdentityParameter().Match(principalExpression) is { Success: true } match ? match.Groups[1].Value : throw new Xunit.Sdk.XunitException($"not an app's identity: {principalExpression}");

    private static string RoleId(JsonElement template, string roleDefinitionExpression)
    {
        var variable = Regex.Match(roleDefinitionExpression, @"variables\('([^']+)'\)");
        var role = variable.Success ? template.GetProperty("variables").GetProperty(variable.Groups[1].Value).GetString()! : roleDefinitionExpression;
        return Guid().Match(role).Value;
    }

    // Every module's silo and Api identity names are the identities module's, and each app runs as its own.
    private void AssertIdentitiesAreTheApps()
    {
        var identities = compiled.Deployment("identities").GetProperty("properties").GetProperty("parameters");
        foreach (var deployment in compiled.Main.GetProperty("resources").EnumerateArray())
        {
            var parameters = deployment.GetProperty("properties").GetProperty("parameters");
            foreach (var name in new[] { "siloIdentityName", "apiIdentityName" })
            {
                if (parameters.TryGetProperty(name, out var value))
                {
                    Assert.Equal(identities.GetProperty(name).GetProperty("value").GetString(), value.GetProperty("value").GetString());
                }
            }
        }

        Assert.Contains("outputs.siloIdentityId.value", compiled.Deployment("silo").GetProperty("properties").GetProperty("parameters").GetProperty("identityId").GetProperty("value").GetString(), StringComparison.Ordinal);
        Assert.Contains("outputs.apiIdentityId.value", compiled.Deployment("api").GetProperty("properties").GetProperty("parameters").GetProperty("identityId").GetProperty("value").GetString(), StringComparison.Ordinal);
    }

    [GeneratedRegex(@"(?i)key|secret|password|pwd|token|credential|sas")]
    private static partial Regex SecretName();

    [GeneratedRegex(@"(?i)\blist\w*\(|secrets/|primaryKey|ConnectionString")]
    private static partial Regex SecretExpression();

    [GeneratedRegex(@"parameters\('(silo|api)IdentityName'\)")]
    private static partial Regex IdentityParameter();

    [GeneratedRegex(@"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex Guid();
}

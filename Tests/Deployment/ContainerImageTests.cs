using System.Reflection;
using System.Text.Json;
using Orleans.AdClicks.Hosting;
using Orleans.AdClicks.Tests.Infrastructure;

namespace Orleans.AdClicks.Tests.Deployment;

/// <summary>
/// The container images as the SDK would build them, checked without the base image (no registry is reachable here):
/// the container configuration the SDK computes for each project (its ComputeContainerConfig target, which needs no
/// network), and a publish of the app that the image's entry point runs.
/// </summary>
[Trait("Category", "Images")]
public sealed class ContainerImageTests
{
    private const string BaseImage = "mcr.microsoft.com/dotnet/aspnet:10.0";

    [Fact]
    public async Task Api_ContainerConfig_ServesHttpOnItsExposedPortAsNonRoot()
    {
        var config = await ContainerConfig.ComputeAsync("Api/Api.csproj", TestContext.Current.CancellationToken);

        Assert.Equal("orleans-adclicks-api", config.Repository);
        Assert.Equal(BaseImage, config.BaseImage);
        Assert.Equal("app", config.User);
        var port = Assert.Single(config.Ports);
        Assert.Equal(config.Environment["ASPNETCORE_HTTP_PORTS"], port);
        Assert.Equal("api", config.Labels["orleans-adclicks.component"]);
        Assert.Equal("Orleans.AdClicks Api", config.Labels["org.opencontainers.image.title"]);
        AssertWritableDataDirectory(config);
    }

    [Fact]
    public async Task Silo_ContainerConfig_ExposesTheClusterAndHealthPortsAsNonRoot()
    {
        var defaults = new AdClicksClusterOptions();

        var config = await ContainerConfig.ComputeAsync("Silo/Silo.csproj", TestContext.Current.CancellationToken);

        Assert.Equal("orleans-adclicks-silo", config.Repository);
        Assert.Equal(BaseImage, config.BaseImage);
        Assert.Equal("app", config.User);
        Assert.Equal(
            new[] { defaults.SiloPort, defaults.GatewayPort, defaults.HealthPort }.Select(p => p.ToString(System.Globalization.CultureInfo.InvariantCulture)).Order(),
            config.Ports.Order());
        Assert.Equal("silo", config.Labels["orleans-adclicks.component"]);
        Assert.Equal("Orleans.AdClicks Silo", config.Labels["org.opencontainers.image.title"]);
        AssertWritableDataDirectory(config);
    }

    [Theory]
    [InlineData("Api/Api.csproj")]
    [InlineData("Silo/Silo.csproj")]
    public async Task Publish_Project_HoldsWhatTheImageStartsOnTheAspNetRuntime(string project)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var config = await ContainerConfig.ComputeAsync(project, cancellationToken);
        using var output = new TempDirectory();

        // The build the tests run on, published without building again: the image's layer is this folder.
        await DotnetCli.RunAsync(["publish", project, "--no-build", "-c", Configuration, "-o", output.Path, "-nologo", "-nodeReuse:false"], cancellationToken);

        Assert.Equal("dotnet", config.AppCommand[0]);
        var entry = Path.GetFileName(config.AppCommand[1]);
        Assert.Equal(config.WorkingDirectory + entry, config.AppCommand[1]);
        Assert.True(File.Exists(Path.Combine(output.Path, entry)), $"{entry} is not in the published folder.");
        using var runtimeConfig = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(output.Path, Path.ChangeExtension(entry, ".runtimeconfig.json")), cancellationToken));
        var frameworks = runtimeConfig.RootElement.GetProperty("runtimeOptions").GetProperty("frameworks").EnumerateArray().Select(f => f.GetProperty("name").GetString());
        Assert.Contains("Microsoft.AspNetCore.App", frameworks);
    }

    private static string Configuration =>
        typeof(ContainerImageTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    // The image's working directory (/app) belongs to root; the data directory must lie elsewhere for user "app".
    private static void AssertWritableDataDirectory(ContainerConfig config)
    {
        var dataDirectory = config.Environment["AdClicks__DataDirectory"];
        Assert.StartsWith("/tmp/", dataDirectory, StringComparison.Ordinal);
        Assert.False(dataDirectory.StartsWith(config.WorkingDirectory, StringComparison.Ordinal));
    }

    /// <summary>What the SDK's ComputeContainerConfig target settles for one project, read through `dotnet msbuild -getProperty/-getItem`.</summary>
    private sealed record ContainerConfig(
        string Repository,
        string BaseImage,
        string User,
        string WorkingDirectory,
        IReadOnlyList<string> Ports,
        IReadOnlyDictionary<string, string> Environment,
        IReadOnlyDictionary<string, string> Labels,
        IReadOnlyList<string> AppCommand)
    {
        public static async Task<ContainerConfig> ComputeAsync(string project, CancellationToken cancellationToken)
        {
            var json = await DotnetCli.RunAsync(
                [
                    "msbuild", project, "-t:ComputeContainerConfig", "-nologo", "-nodeReuse:false", $"-p:Configuration={Configuration}",
                    "-getProperty:ContainerRepository", "-getProperty:ContainerBaseImage", "-getProperty:ContainerUser",
                    "-getProperty:ContainerWorkingDirectory", "-getItem:ContainerPort", "-getItem:ContainerEnvironmentVariables",
                    "-getItem:ContainerLabel", "-getItem:ContainerAppCommand",
                ],
                cancellationToken);
            using var document = JsonDocument.Parse(json);
            var properties = document.RootElement.GetProperty("Properties");
            var items = document.RootElement.GetProperty("Items");
            return new ContainerConfig(
                properties.GetProperty("ContainerRepository").GetString()!,
                properties.GetProperty("ContainerBaseImage").GetString()!,
                properties.GetProperty("ContainerUser").GetString()!,
                properties.GetProperty("ContainerWorkingDirectory").GetString()!,
                Identities(items, "ContainerPort").ToList(),
                Values(items, "ContainerEnvironmentVariables"),
                Values(items, "ContainerLabel"),
                Identities(items, "ContainerAppCommand").ToList());
        }

        private static IEnumerable<string> Identities(JsonElement items, string name) =>
            items.TryGetProperty(name, out var list) ? list.EnumerateArray().Select(i => i.GetProperty("Identity").GetString()!) : [];

        private static Dictionary<string, string> Values(JsonElement items, string name) =>
            items.TryGetProperty(name, out var list)
                ? list.EnumerateArray().ToDictionary(i => i.GetProperty("Identity").GetString()!, i => i.GetProperty("Value").GetString()!)
                : [];
    }
}

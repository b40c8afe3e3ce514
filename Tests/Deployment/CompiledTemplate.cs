using System.Text.Json;
using System.Text.RegularExpressions;

namespace Orleans.AdClicks.Tests.Deployment;

/// <summary>
/// infra/bicep/main.bicep compiled to ARM JSON by the Bicep CLI, with its modules as nested deployments. Resolves the
/// two expression forms the tests need: a whole value that is <c>[variables('name')]</c>, and the names of app settings
/// (<c>createObject('name', 'Key', …)</c>) in the expressions that build the apps' env lists.
/// </summary>
public sealed partial class CompiledTemplate : IAsyncLifetime
{
    public JsonElement Main { get; private set; }

    /// <summary>A module's nested deployment in the main template, by its deployment name.</summary>
    public JsonElement Deployment(string name) =>
        Main.GetProperty("resources").EnumerateArray().Single(r => r.GetProperty("name").GetString() == name);

    /// <summary>A module's own template.</summary>
    public JsonElement Module(string name) => Deployment(name).GetProperty("properties").GetProperty("template");

    /// <summary>Every resource of the main template and its modules, each with the template it is declared in and its module.</summary>
    public IEnumerable<(string Module, JsonElement Template, JsonElement Resource)> Resources() => ResourcesOf("main", Main);

    /// <summary>The main template and every module's template.</summary>
    public IEnumerable<JsonElement> Templates() => Resources()
        .Where(r => r.Resource.GetProperty("type").GetString() == "Microsoft.Resources/deployments")
        .Select(r => r.Resource.GetProperty("properties").GetProperty("template"))
        .Prepend(Main);

    public IEnumerable<(string Module, JsonElement Template, JsonElement Resource)> OfType(string type) =>
        Resources().Where(r => string.Equals(r.Resource.GetProperty("type").GetString(), type, StringComparison.OrdinalIgnoreCase));

    /// <summary>The value itself, or the template variable it is when it is exactly <c>[variables('name')]</c>.</summary>
    public static JsonElement Resolve(JsonElement template, JsonElement value) =>
        value.ValueKind == JsonValueKind.String && VariableReference().Match(value.GetString()!) is { Success: true } match
            ? template.GetProperty("variables").GetProperty(match.Groups[1].Value)
            : value;

    /// <summary>The app setting names an env expression builds, with a format placeholder ({0}) as index 0.</summary>
    public static IEnumerable<string> SettingNames(string expression) =>
        SettingName().Matches(expression).Select(m => m.Groups[1].Value.Replace("{0}", "0", StringComparison.Ordinal));

    public async ValueTask InitializeAsync()
    {
        var (exitCode, output, diagnostics) = await BicepCli.RunAsync(TestContext.Current.CancellationToken, "build", "main.bicep", "--stdout");
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"bicep build main.bicep failed: {diagnostics}");
        }

        using var document = JsonDocument.Parse(output);
        Main = document.RootElement.Clone();
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static IEnumerable<(string Module, JsonElement Template, JsonElement Resource)> ResourcesOf(string module, JsonElement template)
    {
        foreach (var resource in template.GetProperty("resources").EnumerateArray())
        {
            yield return (module, template, resource);
            if (resource.GetProperty("type").GetString() == "Microsoft.Resources/deployments")
            {
                var name = resource.GetProperty("name").GetString()!;
                foreach (var nested in ResourcesOf(name, resource.GetProperty("properties").GetProperty("template")))
                {
                    yield return nested;
                }
            }
        }
    }

    [GeneratedRegex(@"^\[variables\('([^']+)'\)\]$")]
    private static partial Regex VariableReference();

    [GeneratedRegex(@"createObject\('name', (?:format\()?'([^']+)'")]
    private static partial Regex SettingName();
}

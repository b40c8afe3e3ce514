using System.IO.Compression;
using Orleans.AdClicks.Enrichment;
using YamlDotNet.RepresentationModel;

namespace Orleans.AdClicks.Tests.Enrichment;

/// <summary>uap-core 0.18.0's own fixtures (tests/test_*.yaml, vendored gzipped beside this file) against the evaluator.</summary>
public sealed class UapCoreFixtureTests(ITestOutputHelper output)
{
    private static readonly Lazy<UserAgentRules> Rules = new(() => UserAgentRules.Load(UserAgentRules.DefaultPath));

    [Fact]
    public void Browser_FamilyOfEveryUserAgentFixture_MatchesUapCore() =>
        AssertAll("test_ua.yaml", (ua, _) => Rules.Value.Browser(ua), c => Field(c, "family"));

    [Fact]
    public void Os_FamilyOfEveryOsFixture_MatchesUapCore() =>
        AssertAll("test_os.yaml", (ua, _) => Rules.Value.Os(ua), c => Field(c, "family"));

    [Fact]
    public void Device_FamilyBrandAndModelOfEveryDeviceFixture_MatchUapCore() =>
        AssertAll("test_device.yaml", (ua, _) =>
        {
            var device = Rules.Value.Device(ua);
            return $"{device.Family}|{device.Brand}|{device.Model}";
        }, c => $"{Field(c, "family")}|{Field(c, "brand")}|{Field(c, "model")}");

    private void AssertAll(string file, Func<string, YamlMappingNode, string?> actual, Func<YamlMappingNode, string?> expected)
    {
        var cases = Cases(file);
        var failures = new List<string>();
        foreach (var c in cases)
        {
            var ua = Field(c, "user_agent_string")!;
            var want = expected(c);
            var got = actual(ua, c);
            if (want != got)
            {
                failures.Add($"{ua} => {got}, uap-core says {want}");
            }
        }

        output.WriteLine($"{file}: {cases.Count - failures.Count}/{cases.Count} match");
        failures.ForEach(output.WriteLine);
        Assert.Empty(failures);
    }

    private static List<YamlMappingNode> Cases(string file)
    {
        var yaml = new YamlStream();
        // Kept gzipped: the device fixtures are 3.3 MB as text.
        using (var reader = new StreamReader(new GZipStream(File.OpenRead(Path.Combine(AppContext.BaseDirectory, "Enrichment", "UapCore", file + ".gz")), CompressionMode.Decompress)))
        {
            yaml.Load(reader);
        }

        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        return ((YamlSequenceNode)root.Children[new YamlScalarNode("test_cases")]).Children.Cast<YamlMappingNode>().ToList();
    }

    // uap-core writes an absent value as ~ (null) or leaves it out.
    private static string? Field(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlScalarNode scalar
            && !(scalar.Style == YamlDotNet.Core.ScalarStyle.Plain && scalar.Value is "~" or "null" or "")
            ? scalar.Value
            : null;
}

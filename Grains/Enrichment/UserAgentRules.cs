using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Orleans.AdClicks.Enrichment;

/// <summary>
/// An evaluator of uap-core's regexes.yaml (user_agent_parsers, os_parsers, device_parsers): the first rule
/// whose regex matches wins; a replacement template's $1..$9 take that match's groups, and without one the
/// family is group 1. No .NET library evaluates these rules, so this is the part written here.
/// Regexes are built on first use and interpreted: compiling ~1,200 of them would cost seconds at startup,
/// and the caller caches the result per user agent, so a rule runs once per distinct user agent.
/// </summary>
public sealed partial class UserAgentRules
{
    /// <summary>Where the vendored data set is copied beside the app.</summary>
    public static readonly string DefaultPath = Path.Combine(AppContext.BaseDirectory, "Enrichment", "UserAgents", "regexes.yaml");

    // A pathological user agent must not hold a beacon: a rule that runs this long counts as no match.
    private static readonly TimeSpan DefaultMatchTimeout = TimeSpan.FromSeconds(1);

    private readonly Rule[] browsers;
    private readonly Rule[] systems;
    private readonly Rule[] devices;

    private UserAgentRules(Rule[] browsers, Rule[] systems, Rule[] devices)
    {
        this.browsers = browsers;
        this.systems = systems;
        this.devices = devices;
    }

    /// <summary>Reads a regexes.yaml; a rule that runs longer than <paramref name="matchTimeout"/> (default 1 s) on a user agent counts as no match.</summary>
    public static UserAgentRules Load(string path, TimeSpan? matchTimeout = null)
    {
        var timeout = matchTimeout ?? DefaultMatchTimeout;
        var yaml = new YamlStream();
        using (var reader = File.OpenText(path))
        {
            yaml.Load(reader);
        }

        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        return new UserAgentRules(
            Rules(root, "user_agent_parsers", "family_replacement", timeout),
            Rules(root, "os_parsers", "os_replacement", timeout),
            Rules(root, "device_parsers", "device_replacement", timeout));
    }

    /// <summary>The browser family, e.g. "Chrome", "Mobile Safari"; "Other" when no rule matches.</summary>
    public string Browser(string userAgent) => Browser(userAgent, out _);

    /// <summary>The browser family; <paramref name="timedOut"/> when a rule was skipped for running too long.</summary>
    public string Browser(string userAgent, out bool timedOut) => First(browsers, userAgent, out timedOut)?.Family ?? Other;

    /// <summary>The OS family, e.g. "Windows", "iOS"; "Other" when no rule matches.</summary>
    public string Os(string userAgent) => Os(userAgent, out _);

    /// <summary>The OS family; <paramref name="timedOut"/> when a rule was skipped for running too long.</summary>
    public string Os(string userAgent, out bool timedOut) => First(systems, userAgent, out timedOut)?.Family ?? Other;

    /// <summary>The device family, brand and model, e.g. ("iPhone", "Apple", "iPhone"); family "Other" when no rule matches.</summary>
    public DeviceParts Device(string userAgent) => Device(userAgent, out _);

    /// <summary>The device family, brand and model; <paramref name="timedOut"/> when a rule was skipped for running too long.</summary>
    public DeviceParts Device(string userAgent, out bool timedOut) =>
        First(devices, userAgent, out timedOut) is { } found ? new DeviceParts(found.Family ?? Other, found.Brand, found.Model) : new DeviceParts(Other, null, null);

    public const string Other = "Other";

    private static Found? First(Rule[] rules, string userAgent, out bool timedOut)
    {
        timedOut = false;
        foreach (var rule in rules)
        {
            Match match;
            try
            {
                match = rule.Regex.Match(userAgent);
            }
            catch (RegexMatchTimeoutException)
            {
                // A later, less specific rule may still match: the answer stands, but is not the rules' last word.
                timedOut = true;
                continue;
            }

            if (match.Success)
            {
                // Group 1 stands in only where the rule has no template; a template that comes out empty is null.
                return new Found(
                    rule.Family is null ? Group(match, 1) : Expand(rule.Family, match),
                    Expand(rule.Brand, match),
                    rule.Model is null ? Group(match, 1) : Expand(rule.Model, match));
            }
        }

        return null;
    }

    private static string? Expand(string? template, Match match)
    {
        if (template is null)
        {
            return null;
        }

        var text = template.Contains('$')
            ? Placeholder().Replace(template, p => RawGroup(match, p.Value[1] - '0'))
            : template;
        return Clean(text);
    }

    // Groups go into a template untrimmed: uap-core trims the whole result, so "$1$2" keeps $2's leading space.
    private static string RawGroup(Match match, int index) =>
        index < match.Groups.Count && match.Groups[index].Success ? match.Groups[index].Value : "";

    private static string? Group(Match match, int index) =>
        index < match.Groups.Count && match.Groups[index].Success ? Clean(match.Groups[index].Value) : null;

    private static string? Clean(string text)
    {
        var trimmed = text.Trim();
        return trimmed.Length == 0 ? null : trimmed;
    }

    private static Rule[] Rules(YamlMappingNode root, string section, string familyKey, TimeSpan timeout) =>
        ((YamlSequenceNode)root.Children[new YamlScalarNode(section)]).Children
            .Cast<YamlMappingNode>()
            .Select(node => new Rule(
                Scalar(node, "regex") ?? throw new InvalidDataException($"A rule in {section} has no regex."),
                Scalar(node, "regex_flag") == "i",
                Scalar(node, familyKey),
                Scalar(node, "brand_replacement"),
                Scalar(node, "model_replacement"),
                timeout))
            .ToArray();

    private static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? ((YamlScalarNode)value).Value : null;

    [GeneratedRegex(@"\$[1-9]")]
    private static partial Regex Placeholder();

    private sealed class Rule(string pattern, bool ignoreCase, string? family, string? brand, string? model, TimeSpan timeout)
    {
        private Regex? regex;

        public Regex Regex => regex ??= new Regex(pattern,
            RegexOptions.CultureInvariant | (ignoreCase ? RegexOptions.IgnoreCase : RegexOptions.None), timeout);

        public string? Family { get; } = family;

        public string? Brand { get; } = brand;

        public string? Model { get; } = model;
    }

    private sealed record Found(string? Family, string? Brand, string? Model);
}

/// <summary>What uap-core's device rules say about the hardware.</summary>
public sealed record DeviceParts(string Family, string? Brand, string? Model);

using System.Globalization;
using System.Text.RegularExpressions;

namespace Orleans.AdClicks.Storage.Kusto.Client;

/// <summary>
/// A typed query parameter, declared by <c>declare query_parameters(name:type, …)</c> and sent apart from the query
/// text, so user input is never pasted into KQL. Values other than strings and longs travel as KQL literals.
/// </summary>
public sealed partial class KustoParameter
{
    private KustoParameter(string name, string type, string value)
    {
        Name = CheckName(name);
        Type = type;
        Value = value;
    }

    /// <summary>The parameter's name, an identifier.</summary>
    public string Name { get; }

    /// <summary>The KQL scalar type: string, long, int, datetime, guid or bool.</summary>
    public string Type { get; }

    /// <summary>The value as the Parameters property sends it.</summary>
    public string Value { get; }

    public static KustoParameter String(string name, string value) => new(name, "string", value ?? throw new ArgumentNullException(nameof(value)));

    public static KustoParameter Long(string name, long value) => new(name, "long", value.ToString(CultureInfo.InvariantCulture));

    public static KustoParameter Int(string name, int value) => new(name, "int", $"int({value.ToString(CultureInfo.InvariantCulture)})");

    public static KustoParameter DateTime(string name, DateTimeOffset value) =>
        new(name, "datetime", $"datetime({value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture)})");

    public static KustoParameter Guid(string name, Guid value) => new(name, "guid", $"guid({value:D})");

    public static KustoParameter Bool(string name, bool value) => new(name, "bool", value ? "bool(true)" : "bool(false)");

    // `to` is a keyword the parser will not take as a parameter name (KS228).
    private static string CheckName(string name)
    {
        if (name is null || !Identifier().IsMatch(name))
        {
            throw new ArgumentException("A Kusto query parameter's name must be an identifier (letters, digits, _; not starting with a digit).", nameof(name));
        }

        return string.Equals(name, "to", StringComparison.OrdinalIgnoreCase)
            ? throw new ArgumentException("`to` is a KQL keyword and cannot name a query parameter.", nameof(name))
            : name;
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,127}$")]
    private static partial Regex Identifier();
}

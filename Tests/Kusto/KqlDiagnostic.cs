namespace Orleans.AdClicks.Tests.Kusto;

/// <summary>One diagnostic of Microsoft's Kusto parser: e.g. KS142 (unknown column) at a character range of the text.</summary>
public sealed record KqlDiagnostic(string Code, string Severity, string Message, int Start, int Length)
{
    public override string ToString() => $"{Code} {Severity} at {Start}+{Length}: {Message}";
}

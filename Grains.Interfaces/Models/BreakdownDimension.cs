namespace Orleans.AdClicks.Models;

/// <summary>What a breakdown splits billable counts by: one of the fields each event is enriched with at its beacon.</summary>
[GenerateSerializer]
public enum BreakdownDimension
{
    /// <summary>The device class: desktop, mobile, tablet, bot or other.</summary>
    Device,

    /// <summary>The browser family by uap-core, e.g. "Chrome".</summary>
    Browser,

    /// <summary>The operating system family by uap-core, e.g. "Windows".</summary>
    Os,

    /// <summary>The ISO 3166 alpha-2 country of the client address.</summary>
    Country,
}

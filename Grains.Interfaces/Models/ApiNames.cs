namespace Orleans.AdClicks.Models;

/// <summary>How statuses and granularities are spelled in answers and messages: lower case.</summary>
public static class ApiNames
{
    public static string ApiName<T>(this T value)
        where T : struct, Enum => value.ToString().ToLowerInvariant();
}

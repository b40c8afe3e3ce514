using System.ComponentModel.DataAnnotations;

namespace Orleans.AdClicks.Hosting;

/// <summary>The "AdClicks" configuration section shared by silo and Api.</summary>
public sealed class AdClicksOptions
{
    public const string Section = "AdClicks";

    /// <summary>Where embedded stores, grain state and generated dev keys live.</summary>
    [Required]
    public string DataDirectory { get; set; } = "./data";

    /// <summary>The data directory as an absolute path.</summary>
    public string DataPath => Path.GetFullPath(DataDirectory);
}

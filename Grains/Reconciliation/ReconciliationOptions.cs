namespace Orleans.AdClicks.Reconciliation;

/// <summary>When and how widely the hourly reconciliation runs ("AdClicks:Reconciliation").</summary>
public sealed class ReconciliationOptions
{
    public const string Section = "AdClicks:Reconciliation";

    /// <summary>How often the reminder looks for hours to reconcile.</summary>
    public TimeSpan Period { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long after an hour closes it is first reconciled, so late events have landed.</summary>
    public TimeSpan AllowedLateness { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How many missed hours a reminder tick catches up on after the cluster was down.</summary>
    public int CatchUpHours { get; set; } = 24;

    /// <summary>Ad slices reconciled at the same time by one run.</summary>
    public int MaxConcurrentSlices { get; set; } = 4;

    /// <summary>Ads one slice worker recounts at the same time.</summary>
    public int MaxConcurrentAds { get; set; } = 8;

    /// <summary>How often an unfinished run's reminder resumes it after a failure or a lost silo.</summary>
    public TimeSpan ResumePeriod { get; set; } = TimeSpan.FromMinutes(1);

    internal void Validate()
    {
        if (Period <= TimeSpan.Zero || ResumePeriod <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{Section}: Period ({Period}) and ResumePeriod ({ResumePeriod}) must be positive.");
        }

        if (AllowedLateness < TimeSpan.Zero)
        {
            throw new ArgumentException($"{Section}: AllowedLateness must not be negative, not {AllowedLateness}.");
        }

        if (CatchUpHours < 1 || MaxConcurrentSlices < 1 || MaxConcurrentAds < 1)
        {
            throw new ArgumentException($"{Section}: CatchUpHours, MaxConcurrentSlices and MaxConcurrentAds must be at least 1.");
        }
    }
}

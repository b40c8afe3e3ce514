namespace Orleans.AdClicks.Tests.Infrastructure;

/// <summary>A fresh directory for one test's data, deleted afterwards.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "adclicks-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A store still closing keeps a handle for a moment; the OS temp cleaner takes the rest.
        }
    }
}

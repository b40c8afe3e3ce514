namespace Orleans.AdClicks.Tests.Kusto.Ingestion;

/// <summary>
/// A file under the test project's source folder that a test's output must equal byte for byte. Run the tests with
/// <c>ADCLICKS_UPDATE_GOLDEN=1</c> to write the output there instead (then review the diff and commit it).
/// </summary>
internal static class GoldenFile
{
    public const string UpdateVariable = "ADCLICKS_UPDATE_GOLDEN";

    /// <summary>Asserts that <paramref name="actual"/> equals the file at <paramref name="relativePath"/> (from Tests/), or writes it when updating.</summary>
    public static void AssertMatches(string relativePath, string actual)
    {
        var path = Path.Combine(TestsFolder(), relativePath);
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            File.WriteAllText(path, actual);
            return;
        }

        Assert.True(File.Exists(path), $"{path} is missing; run the test with {UpdateVariable}=1 to write it.");
        Assert.Equal(File.ReadAllText(path), actual);
    }

    // The source folder, not the output folder: that is where an update must land.
    private static string TestsFolder()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "package-lock.json")))
        {
            directory = directory.Parent;
        }

        return directory is null
            ? throw new DirectoryNotFoundException("The repository root (package-lock.json) is not above the test folder.")
            : Path.Combine(directory.FullName, "Tests");
    }
}

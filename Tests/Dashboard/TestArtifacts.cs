namespace Orleans.AdClicks.Tests.Dashboard;

/// <summary>
/// Where the browser tests put their screenshots: <c>dashboard/</c> in the test run's results directory, the one
/// `--results-directory` names (as .ci/run passes it), else the test platform's default, TestResults beside the tests.
/// </summary>
public static class TestArtifacts
{
    public static string Directory { get; } = Create();

    /// <summary>The path of a PNG named after the running test (class and method).</summary>
    public static string ScreenshotPath(string? suffix = null)
    {
        var test = TestContext.Current;
        var name = $"{test.TestClass?.TestClassSimpleName ?? "Dashboard"}.{test.TestMethod?.MethodName ?? "screenshot"}";
        return Path.Combine(Directory, $"{name}{suffix}.png");
    }

    private static string Create()
    {
        var arguments = Environment.GetCommandLineArgs();
        var index = Array.IndexOf(arguments, "--results-directory");
        var results = index >= 0 && index + 1 < arguments.Length
            ? Path.GetFullPath(arguments[index + 1])
            : Path.Combine(AppContext.BaseDirectory, "TestResults");
        return System.IO.Directory.CreateDirectory(Path.Combine(results, "dashboard")).FullName;
    }
}

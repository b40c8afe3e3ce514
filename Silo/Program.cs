namespace Orleans.AdClicks.Silo;

// A Main of its own, not top-level statements: the web SDK makes a top-level Program public, and the tests
// see both hosts, whose Program types would then clash.
internal static class Program
{
    private static Task Main(string[] args) => SiloHost.Build(SiloHost.CreateBuilder(args)).RunAsync();
}

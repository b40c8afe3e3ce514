using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.AdClicks.Storage.GrainState;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Storage;

namespace Orleans.AdClicks.Tests.Storage.GrainState;

public sealed class FileGrainStorageTests : IDisposable
{
    private const string StateName = "campaign";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "adclicks-tests", Guid.NewGuid().ToString("N"));
    private readonly GrainId _grainId = GrainId.Create("campaign", "c/1:ü");
    private readonly IGrainStorageSerializer _serializer =
        new SystemTextJsonGrainStorageSerializer(Options.Create(new SystemTextJsonGrainStorageSerializerOptions()));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task Write_ThenReadFromNewInstance_RoundTrips()
    {
        var written = new GrainState<Sample>(new Sample("spring sale", 3));
        await Storage().WriteStateAsync(StateName, _grainId, written);

        var read = new GrainState<Sample>(new Sample("", 0));
        await Storage().ReadStateAsync(StateName, _grainId, read);

        Assert.Equal(new Sample("spring sale", 3), read.State);
        Assert.True(read.RecordExists);
        Assert.NotNull(read.ETag);
        Assert.Equal(written.ETag, read.ETag);
    }

    [Fact]
    public async Task Read_NoFile_LeavesStateWithoutRecordOrETag()
    {
        var state = new GrainState<Sample>(new Sample("initial", 1));

        await Storage().ReadStateAsync(StateName, _grainId, state);

        Assert.Equal(new Sample("initial", 1), state.State);
        Assert.False(state.RecordExists);
        Assert.Null(state.ETag);
    }

    [Fact]
    public async Task Write_StaleETag_ThrowsInconsistentState()
    {
        var storage = Storage();
        var first = new GrainState<Sample>(new Sample("a", 1));
        await storage.WriteStateAsync(StateName, _grainId, first);
        var stale = new GrainState<Sample>(new Sample("b", 2)) { ETag = first.ETag };
        await storage.WriteStateAsync(StateName, _grainId, first);

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(StateName, _grainId, stale));
        await Assert.ThrowsAsync<InconsistentStateException>(
            () => storage.WriteStateAsync(StateName, _grainId, new GrainState<Sample>(new Sample("c", 3))));
    }

    [Fact]
    public async Task Clear_Written_ReadsNoRecordAndRefusesETagFromBefore()
    {
        var storage = Storage();
        var state = new GrainState<Sample>(new Sample("a", 1));
        await storage.WriteStateAsync(StateName, _grainId, state);
        var beforeClear = state.ETag;

        await storage.ClearStateAsync(StateName, _grainId, state);
        var read = new GrainState<Sample>(new Sample("fresh", 0));
        await storage.ReadStateAsync(StateName, _grainId, read);

        Assert.False(state.RecordExists);
        Assert.False(read.RecordExists);
        Assert.Equal(new Sample("fresh", 0), read.State);
        Assert.Equal(state.ETag, read.ETag);
        await Assert.ThrowsAsync<InconsistentStateException>(
            () => storage.WriteStateAsync(StateName, _grainId, new GrainState<Sample>(new Sample("b", 2)) { ETag = beforeClear }));
        await storage.WriteStateAsync(StateName, _grainId, read);
    }

    [Fact]
    public void AddFileGrainStorage_NamedDefault_RegistersKeyedAndDefaultProvider()
    {
        var builder = new SiloBuilderStub();
        builder.Services.AddSingleton(_serializer);

        builder.AddFileGrainStorage("Default", _directory).AddFileGrainStorage("other", _directory);
        using var services = builder.Services.BuildServiceProvider();

        Assert.IsType<FileGrainStorage>(services.GetRequiredKeyedService<IGrainStorage>("Default"));
        Assert.IsType<FileGrainStorage>(services.GetRequiredKeyedService<IGrainStorage>("other"));
        Assert.Same(services.GetRequiredKeyedService<IGrainStorage>("Default"), services.GetRequiredService<IGrainStorage>());
    }

    private FileGrainStorage Storage() => new(_directory, _serializer);

    public sealed record Sample(string Name, int Count);

    private sealed class SiloBuilderStub : ISiloBuilder
    {
        public IServiceCollection Services { get; } = new ServiceCollection();

        public IConfiguration Configuration { get; } = new ConfigurationBuilder().Build();
    }
}

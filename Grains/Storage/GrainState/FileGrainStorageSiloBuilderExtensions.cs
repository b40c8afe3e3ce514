using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.Runtime.Hosting;
using Orleans.Storage;

namespace Orleans.AdClicks.Storage.GrainState;

/// <summary>Registers <see cref="FileGrainStorage"/> on a silo.</summary>
public static class FileGrainStorageSiloBuilderExtensions
{
    /// <summary>
    /// Adds a grain storage provider named <paramref name="name"/> that keeps state in files in <paramref name="directory"/>,
    /// serialized with the silo's <see cref="IGrainStorageSerializer"/>. Named "Default", it is also the default provider.
    /// </summary>
    public static ISiloBuilder AddFileGrainStorage(this ISiloBuilder builder, string name, string directory)
    {
        // Orleans' own helper, as AddMemoryGrainStorage uses: a keyed singleton, plus the unkeyed default for "Default".
        builder.Services.AddGrainStorage(
            name,
            (services, _) => new FileGrainStorage(Path.GetFullPath(directory), services.GetRequiredService<IGrainStorageSerializer>()));
        return builder;
    }
}

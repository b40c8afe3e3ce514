using Orleans.AdClicks.Hosting;

var builder = Host.CreateApplicationBuilder(args);

builder.UseOrleans(silo => silo.UseAdClicksClustering(builder.Configuration).AddAdClicks(builder.Configuration));

await builder.Build().RunAsync();

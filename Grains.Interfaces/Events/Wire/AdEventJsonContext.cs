using System.Text.Json.Serialization;

namespace Orleans.AdClicks.Events.Wire;

/// <summary>Source-generated (reflection-free) JSON of <see cref="AdEventDocument"/>.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AdEventDocument))]
internal sealed partial class AdEventJsonContext : JsonSerializerContext;

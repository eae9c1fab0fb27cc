namespace SchedCP.Agents;

/// <summary>A model's price per million tokens, for cost accounting.</summary>
/// <param name="InputPerMillion">Price of a million input tokens.</param>
/// <param name="OutputPerMillion">Price of a million output tokens.</param>
public sealed record ModelPrice(decimal InputPerMillion, decimal OutputPerMillion);

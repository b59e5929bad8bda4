namespace ModelC.Backend.Targets;

/// <summary>What an <see cref="IKernelCodeGenerator"/> made of one kernel or support routine.</summary>
/// <param name="Bytes">The object code.</param>
/// <param name="Times">What each stage took, when the generator was created to measure them; else null.</param>
public sealed record ObjectCode(byte[] Bytes, CodeGenerationTimes? Times);

namespace ModelC.Training;

/// <summary>
/// A tensor the data-parallel step sums over the ranks (a gradient, or the loss), its length and
/// the position in the gradients program's schedule of the last kernel that writes it (−1: none
/// does, it is ready before the program runs).
/// </summary>
/// <param name="Name">The tensor's name in the gradients program.</param>
/// <param name="Length">Its element count.</param>
/// <param name="FinishedBy">The last kernel that writes it.</param>
internal sealed record SummedTensor(string Name, int Length, int FinishedBy);

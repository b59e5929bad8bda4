using ModelC.Backend.Scheduling;
using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;
using ModelC.Runtime;

namespace ModelC.Backend.Tests;

/// <summary>
/// The edges of the planner's epilogue join (a contraction's epilogue continuing through a value
/// with several readers to the op where they meet again): the walk's limit of 8 ops passed
/// between the value and the join, readers that never meet, a reader that is a second
/// contraction, and a join followed by an op that is not elementwise.
/// </summary>
public sealed class EpilogueJoinTests
{
    private static readonly TensorType Square = TensorType.F32(Shape.Of(8, 8));

    [Fact]
    public void ReadersThatMeetAfterEightOpsJoinTheEpilogue()
    {
        var (graph, product) = Diamond(passed: 8);

        var plan = FusionPlanner.Plan(graph);

        Assert.Same(graph.Outputs[0].Value, plan.EpilogueRoots[product]);
        Assert.Equal(["add"], FusionPlanTesting.Stored(graph, plan));
    }

    [Fact]
    public void ReadersThatMeetAfterNineOpsStayApart()
    {
        var (graph, product) = Diamond(passed: 9);

        var plan = FusionPlanner.Plan(graph);

        Assert.False(plan.EpilogueRoots.ContainsKey(product));
        Assert.Equal(["contract", "add"], FusionPlanTesting.Stored(graph, plan));
    }

    [Fact]
    public void ReadersThatNeverMeetLeaveTheProductStored()
    {
        // Two chains from the product, each its own result: the walk runs out of readers without a
        // join, and the last op it passed must not be taken for one (two kernels read the product).
        var b = new GraphBuilder("g");
        var c = Product(b);
        b.Output("y", b.Unary(UnaryKind.Neg, b.Unary(UnaryKind.Abs, c)));
        b.Output("z", b.Unary(UnaryKind.Abs, b.Unary(UnaryKind.Neg, c)));
        var graph = b.Build();

        var plan = FusionPlanner.Plan(graph);

        Assert.Empty(plan.EpilogueRoots);
        Assert.Equal(["contract", "neg", "abs"], FusionPlanTesting.Stored(graph, plan));
    }

    [Fact]
    public void AReaderThatIsASecondContractionEndsTheFirstOnesEpilogue()
    {
        // (x·w)·v, then tanh: the first product is stored for the second, whose epilogue is the tanh.
        var b = new GraphBuilder("g");
        var first = Product(b);
        var second = b.Contract(first, b.Parameter("v", Square, new ConstantInit(1)), [0, 1], [1, 2], [0, 2]);
        b.Output("y", b.Unary(UnaryKind.Tanh, second));
        var graph = b.Build();

        var plan = FusionPlanner.Plan(graph);

        Assert.False(plan.EpilogueRoots.ContainsKey(first));
        Assert.Same(graph.Outputs[0].Value, plan.EpilogueRoots[second]);
        Assert.Equal(["contract", "tanh"], FusionPlanTesting.Stored(graph, plan));
    }

    [Fact]
    public void AnEpilogueEndsAtItsJoinWhenTheNextOpIsNotElementwise()
    {
        // Leaky ReLU of the product, then transposed: the select joins the readers, and the
        // transpose (same shape and type, but it reads other elements) is a kernel of its own.
        // Readers of one kernel meet at an elementwise op or in different operands of another
        // kernel (a second read, so the product is stored), so an op that is not elementwise ends
        // a join's walk only here, after the join.
        var b = new GraphBuilder("g");
        var c = Product(b);
        var activated = b.Select(b.Compare(CompareKind.Gt, c, b.Filled(0, c)), c, b.Binary(BinaryKind.Mul, c, 0.01));
        b.Output("y", b.Permute(activated, 1, 0));
        var graph = b.Build();

        var plan = FusionPlanner.Plan(graph);

        Assert.Same(activated, plan.EpilogueRoots[c]);
        Assert.Equal(["select", "permute"], FusionPlanTesting.Stored(graph, plan));
    }

    // The product read by a chain of <passed> negations and by the add that ends the chain: between
    // the product and the add, the walk passes the chain and nothing else.
    private static (Graph Graph, Node Product) Diamond(int passed)
    {
        var b = new GraphBuilder("g");
        var c = Product(b);
        var chain = c;
        for (var i = 0; i < passed; i++)
        {
            chain = b.Unary(UnaryKind.Neg, chain);
        }
        b.Output("y", b.Binary(BinaryKind.Add, chain, c));
        return (b.Build(), c);
    }

    // x · w for an input x [8, 8] and a parameter w [8, 8]: square, so that a second product or a
    // transpose has the first one's shape.
    private static Node Product(GraphBuilder b) => FusionPlanTesting.Product(b, Square);
}

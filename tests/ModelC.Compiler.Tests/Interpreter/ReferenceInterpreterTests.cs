using ModelC.Compiler.IR;
using ModelC.Compiler.IR.Ops;
using ModelC.Compiler.Interpreter;
using ModelC.Runtime;

namespace ModelC.Compiler.Tests.Interpreter;

/// <summary>
/// <see cref="ReferenceInterpreter"/> beyond single ops: a small model with parameters, a state,
/// a loss and a state update; binding of the batch dimension; and the errors a caller can cause.
/// </summary>
public sealed class ReferenceInterpreterTests
{
    private static readonly Dim B = Dim.Symbolic("B");

    /// <summary>y = x·wᵀ + b; loss = mean(y²); running ← 0.9·running + 0.1·mean over the batch of y.</summary>
    [Fact]
    public void RunsAModelWithLossAndStateUpdate()
    {
        var (graph, y) = Model();

        var result = ReferenceInterpreter.Run(graph, Inputs(HostTensor.Create([2, 3], [1, 2, 3, 4, 5, 6])), Parameters());

        Assert.Equal(2, result.Bindings["B"]);
        TensorAssert.Close(HostTensor.Create([2, 2], [-1.9, 2.8, -1.9, 7.3]), result.Outputs["y"]);
        TensorAssert.Close(HostTensor.Scalar(17.0875), result.Loss!);
        TensorAssert.Close(HostTensor.Vector(0.71, 2.305), result.StateUpdates["running"]);
        Assert.Same(result.Outputs["y"], result.ValueOf(y));
        Assert.Equal([1.0, 2, 3, 4, 5, 6], result.ValueOf(graph.Inputs.Single()).ToArray());
        Assert.All(graph.Nodes, n => result.ValueOf(n));
    }

    /// <summary>The batch size comes from each run's inputs.</summary>
    [Fact]
    public void BindsTheBatchPerRun()
    {
        var (graph, _) = Model();
        var five = ReferenceInterpreter.Run(graph, Inputs(HostTensor.Zeros([5, 3])), Parameters());
        Assert.Equal(5, five.Bindings["B"]);
        Assert.Equal([5, 2], five.Outputs["y"].Shape.ToArray());
        TensorAssert.Close(HostTensor.Scalar(0.025), five.Loss!);
    }

    /// <summary>A graph without a loss reports none.</summary>
    [Fact]
    public void LossIsNullWithoutOne()
    {
        var builder = new GraphBuilder("plain");
        builder.Output("c", builder.Constant(2, TensorType.ScalarF32));
        var result = ReferenceInterpreter.Run(builder.Build(), Empty, Empty);
        Assert.Null(result.Loss);
        Assert.Empty(result.StateUpdates);
        Assert.Equal(2.0, result.Outputs["c"].At());
    }

    /// <summary>A missing input is named, with its type.</summary>
    [Fact]
    public void MissingInput()
    {
        var (graph, _) = Model();
        var error = Assert.Throws<ArgumentException>(() => ReferenceInterpreter.Run(graph, Empty, Parameters()));
        Assert.Equal("inputs", error.ParamName);
        Assert.Contains("missing input 'x' of type f32[B,3]", error.Message);
    }

    /// <summary>An input the graph does not have is rejected.</summary>
    [Fact]
    public void ExtraInput()
    {
        var (graph, _) = Model();
        var inputs = Inputs(HostTensor.Zeros([2, 3]));
        inputs["z"] = HostTensor.Scalar(1);
        var error = Assert.Throws<ArgumentException>(() => ReferenceInterpreter.Run(graph, inputs, Parameters()));
        Assert.Contains("unexpected input 'z'", error.Message);
    }

    /// <summary>Missing and unexpected parameters and states are reported together.</summary>
    [Fact]
    public void MissingAndExtraParameters()
    {
        var (graph, _) = Model();
        var parameters = Parameters();
        parameters.Remove("w");
        parameters.Remove("running");
        parameters["wrong"] = HostTensor.Scalar(0);
        var error = Assert.Throws<ArgumentException>(() => ReferenceInterpreter.Run(graph, Inputs(HostTensor.Zeros([2, 3])), parameters));
        Assert.Equal("parameters", error.ParamName);
        Assert.Contains("missing parameter 'w' of type f32[2,3]", error.Message);
        Assert.Contains("missing state 'running' of type f32[2]", error.Message);
        Assert.Contains("unexpected parameter or state 'wrong'", error.Message);
    }

    /// <summary>A wrong fixed dimension: the message names the input, the actual shape and the declared type.</summary>
    [Fact]
    public void WrongInputShape()
    {
        var (graph, _) = Model();
        var error = Assert.Throws<ArgumentException>(() => ReferenceInterpreter.Run(graph, Inputs(HostTensor.Zeros([2, 4])), Parameters()));
        Assert.Contains("input 'x' has shape [2,4] but its declared type is f32[B,3]", error.Message);
    }

    /// <summary>A wrong rank is a shape mismatch too.</summary>
    [Fact]
    public void WrongInputRank()
    {
        var (graph, _) = Model();
        var error = Assert.Throws<ArgumentException>(() => ReferenceInterpreter.Run(graph, Inputs(HostTensor.Zeros([6])), Parameters()));
        Assert.Contains("input 'x' has shape [6] but its declared type is f32[B,3]", error.Message);
    }

    /// <summary>A parameter of the wrong shape is named with both shapes.</summary>
    [Fact]
    public void WrongParameterShape()
    {
        var (graph, _) = Model();
        var parameters = Parameters();
        parameters["w"] = HostTensor.Zeros([3, 2]);
        var error = Assert.Throws<ArgumentException>(() => ReferenceInterpreter.Run(graph, Inputs(HostTensor.Zeros([2, 3])), parameters));
        Assert.Contains("parameter 'w' has shape [3,2] but its declared type is f32[2,3]", error.Message);
    }

    /// <summary>Two inputs disagreeing on the batch size: the message says which input bound it first.</summary>
    [Fact]
    public void InconsistentBatch()
    {
        var builder = new GraphBuilder("two");
        var x = builder.Input("x", TensorType.F32(Shape.Of([B, 3])));
        var m = builder.Input("m", TensorType.F32(Shape.Of([B])));
        builder.Output("s", builder.Binary(BinaryKind.Add, builder.Reduce(ReduceKind.Sum, x, 1), m));
        var inputs = new Dictionary<string, HostTensor> { ["x"] = HostTensor.Zeros([2, 3]), ["m"] = HostTensor.Zeros([3]) };
        var error = Assert.Throws<ArgumentException>(() => ReferenceInterpreter.Run(builder.Build(), inputs, Empty));
        Assert.Contains("input 'm' has shape [3] but its declared type is f32[B]", error.Message);
        Assert.Contains("B = 2 from input 'x'", error.Message);
    }

    /// <summary>i32 inputs must hold integers and bool inputs 0 or 1.</summary>
    [Theory]
    [InlineData(ElementType.I32, 2.5)]
    [InlineData(ElementType.I32, 3e9)]
    [InlineData(ElementType.Bool, 2.0)]
    [InlineData(ElementType.Bool, double.NaN)]
    public void InputValuesMustSuitTheElementType(ElementType dtype, double bad)
    {
        var builder = new GraphBuilder("typed");
        builder.Output("y", builder.Input("v", new TensorType(dtype, Shape.Of(2))));
        var inputs = new Dictionary<string, HostTensor> { ["v"] = HostTensor.Vector(1, bad) };
        var error = Assert.Throws<ArgumentException>(() => ReferenceInterpreter.Run(builder.Build(), inputs, Empty));
        Assert.Contains($"input 'v' is {dtype.Name()} but element 1 is", error.Message);
    }

    /// <summary>A graph that fails verification is refused before anything runs.</summary>
    [Fact]
    public void InvalidGraphIsRefused()
    {
        var builder = new GraphBuilder("bad");
        builder.Loss(builder.Constant(1, TensorType.F32(Shape.Of(2))));
        var error = Assert.Throws<InvalidOperationException>(() => ReferenceInterpreter.Run(builder.Build(), Empty, Empty));
        Assert.Contains("loss must be f32[]", error.Message);
    }

    /// <summary>A symbolic size that no input binds is reported at the node that needs it.</summary>
    [Fact]
    public void UnboundSymbol()
    {
        var builder = new GraphBuilder("unbound");
        builder.Output("c", builder.Constant(0, TensorType.F32(Shape.Of([B]))));
        var error = Assert.Throws<InvalidOperationException>(() => ReferenceInterpreter.Run(builder.Build(), Empty, Empty));
        Assert.Equal("%0 (const): needs the size of 'B', which no input or parameter binds", error.Message);
    }

    /// <summary>Failures inside an op name the node.</summary>
    [Fact]
    public void IntegerDivisionByZeroNamesTheNode()
    {
        var builder = new GraphBuilder("div");
        var a = builder.Input("a", new TensorType(ElementType.I32, Shape.Of(2)));
        var zero = builder.Constant(0, new TensorType(ElementType.I32, Shape.Of(2)));
        builder.Output("q", builder.Add(new BinaryOp(BinaryKind.Div), a, zero));
        var inputs = new Dictionary<string, HostTensor> { ["a"] = HostTensor.Vector(1, 2) };
        var error = Assert.Throws<InvalidOperationException>(() => ReferenceInterpreter.Run(builder.Build(), inputs, Empty));
        Assert.Contains("%2 (div)", error.Message);
    }

    /// <summary>A node's value must suit its element type: an i32 constant of 0.5 is caught.</summary>
    [Fact]
    public void ResultValuesMustSuitTheElementType()
    {
        var builder = new GraphBuilder("half");
        builder.Output("c", builder.Constant(0.5, new TensorType(ElementType.I32, Shape.Of(1))));
        var error = Assert.Throws<InvalidOperationException>(() => ReferenceInterpreter.Run(builder.Build(), Empty, Empty));
        Assert.Equal("%0 (const): result is i32 but element 0 is 0.5", error.Message);
    }

    /// <summary>Asking for a node of another graph is an error.</summary>
    [Fact]
    public void ValueOfForeignNode()
    {
        var (graph, _) = Model();
        var (_, otherY) = Model();
        var result = ReferenceInterpreter.Run(graph, Inputs(HostTensor.Zeros([1, 3])), Parameters());
        Assert.Throws<ArgumentException>(() => result.ValueOf(otherY));
    }

    /// <summary>A parameter and a state of the same name cannot both be fed by one dictionary.</summary>
    [Fact]
    public void ParameterAndStateNameClash()
    {
        var builder = new GraphBuilder("clash");
        var p = builder.Parameter("v", TensorType.F32(Shape.Of(1)), new ConstantInit(0));
        var s = builder.State("v", TensorType.F32(Shape.Of(1)), new ConstantInit(0));
        builder.Output("y", builder.Binary(BinaryKind.Add, p, s));
        var error = Assert.Throws<ArgumentException>(
            () => ReferenceInterpreter.Run(builder.Build(), Empty, new Dictionary<string, HostTensor> { ["v"] = HostTensor.Vector(0) }));
        Assert.Contains("both named 'v'", error.Message);
    }

    /// <summary>
    /// The window ops assume sizes, strides and dilations of at least 1; typing rejects
    /// anything else (a stride of 0 used to escape as a DivideByZeroException, a kernel of −1
    /// used to type as a negative dimension).
    /// </summary>
    [Theory]
    [InlineData(2, 2, 0, 1, 1, 1)]
    [InlineData(-1, 2, 1, 1, 1, 1)]
    [InlineData(2, 0, 1, 1, 1, 1)]
    [InlineData(2, 2, 1, 1, 1, 0)]
    public void DegenerateWindowsAreRejectedByTyping(int kh, int kw, int sh, int sw, int dh, int dw)
    {
        var window = new Window2d(kh, kw, sh, sw, dh, dw);
        var builder = new GraphBuilder("windows");
        var grid = builder.Input("grid", TensorType.F32(Shape.Of(1, 5, 5)));
        var columns = builder.Input("columns", TensorType.F32(Shape.Of(1, 1, 1, 1, 1)));
        Assert.Throws<IrTypeException>(() => builder.Add(new UnfoldOp(window), grid));
        Assert.Throws<IrTypeException>(() => builder.Add(new FoldOp(window, 5, 5), columns));
    }

    private static Dictionary<string, HostTensor> Empty => [];

    private static Dictionary<string, HostTensor> Inputs(HostTensor x) => new() { ["x"] = x };

    private static Dictionary<string, HostTensor> Parameters() => new()
    {
        ["w"] = HostTensor.Create([2, 3], [1, 0, -1, 0.5, 0.5, 0.5]),
        ["b"] = HostTensor.Vector(0.1, -0.2),
        ["running"] = HostTensor.Vector(1, 2),
    };

    private static (Graph Graph, Node Y) Model()
    {
        var builder = new GraphBuilder("model");
        var x = builder.Input("x", TensorType.F32(Shape.Of([B, 3])));
        var w = builder.Parameter("w", TensorType.F32(Shape.Of(2, 3)), new UniformInit(-1, 1));
        var b = builder.Parameter("b", TensorType.F32(Shape.Of(2)), new ConstantInit(0));
        var running = builder.State("running", TensorType.F32(Shape.Of(2)), new ConstantInit(0));
        var y = builder.Binary(BinaryKind.Add, builder.Contract(x, w, [0, 1], [2, 1], [0, 2]), b);
        builder.Output("y", y);
        builder.Loss(builder.Mean(builder.Binary(BinaryKind.Mul, y, y), 0, 1));
        var batchMean = builder.Mean(y, 0);
        builder.StateUpdate("running", builder.Binary(BinaryKind.Add,
            builder.Binary(BinaryKind.Mul, running, 0.9), builder.Binary(BinaryKind.Mul, batchMean, 0.1)));
        return (builder.Build(), y);
    }
}

using ModelC.Bench;

return BenchHost.Serve(Console.In, Console.Out);

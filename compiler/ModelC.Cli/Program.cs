using ModelC.Cli;

return ModelcApp.Run(args, Console.Out, Console.Error);

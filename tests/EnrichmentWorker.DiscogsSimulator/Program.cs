// The Discogs simulator: a faithful stand-in for https://api.discogs.com, built from real data.
Console.WriteLine("The Discogs simulator is being built.");

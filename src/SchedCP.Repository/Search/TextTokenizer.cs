namespace SchedCP.Repository;

/// <summary>Splits text into lower-case terms for BM25: letters and digits only, stop words dropped, a light suffix stemmer.</summary>
internal static class TextTokenizer
{
    private static readonly HashSet<string> StopWords = new(
        ["a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "in", "into", "is", "it", "its", "of", "on", "or",
         "so", "that", "the", "their", "them", "then", "there", "these", "this", "to", "was", "while", "with", "when", "which", "who",
         "i", "me", "my", "we", "our", "you", "your", "need", "needs", "want", "something", "scheduler", "schedulers", "scx", "policy", "what", "good"],
        StringComparer.Ordinal);

    public static List<string> Tokenize(string? text)
    {
        var terms = new List<string>();
        if (string.IsNullOrEmpty(text))
        {
            return terms;
        }

        var span = text.AsSpan();
        var start = -1;
        for (var i = 0; i <= span.Length; i++)
        {
            var isWord = i < span.Length && char.IsLetterOrDigit(span[i]);
            if (isWord && start < 0)
            {
                start = i;
            }
            else if (!isWord && start >= 0)
            {
                var term = Stem(span[start..i].ToString().ToLowerInvariant());
                if (term.Length > 1 && !StopWords.Contains(term))
                {
                    terms.Add(term);
                }

                start = -1;
            }
        }

        return terms;
    }

    private static string Stem(string word)
    {
        if (word.Length > 5 && word.EndsWith("ing", StringComparison.Ordinal))
        {
            return word[..^3];
        }

        if (word.Length > 4 && word.EndsWith("ies", StringComparison.Ordinal))
        {
            return word[..^3] + "y";
        }

        if (word.Length > 4 && word.EndsWith("ed", StringComparison.Ordinal))
        {
            return word[..^2];
        }

        if (word.Length > 3 && word.EndsWith('s') && !word.EndsWith("ss", StringComparison.Ordinal) && !word.EndsWith("us", StringComparison.Ordinal))
        {
            return word[..^1];
        }

        return word;
    }
}

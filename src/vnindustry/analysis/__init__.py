"""Analysis on stored series: derived indicators (changes, rankings, shares, trade balance), later
seasonal adjustment and trade indices."""

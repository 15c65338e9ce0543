package dev.falcon.layers;

import java.util.Random;

/**
 * Paired samples of X, Y in R^d with corr(X_c, Y_c) = rho for every coordinate c and independent
 * coordinates otherwise, whose mutual information has the closed form -d/2 ln(1 - rho^2).
 */
final class CorrelatedGaussians {

    final double[][] x;
    final double[][] y;
    final double mutualInformation;

    CorrelatedGaussians(int samples, int dims, double rho, long seed) {
        Random random = new Random(seed);
        x = new double[samples][dims];
        y = new double[samples][dims];
        double noise = Math.sqrt(1 - rho * rho);
        for (int i = 0; i < samples; i++) {
            for (int c = 0; c < dims; c++) {
                x[i][c] = random.nextGaussian();
                y[i][c] = rho * x[i][c] + noise * random.nextGaussian();
            }
        }
        mutualInformation = -0.5 * dims * Math.log(1 - rho * rho);
    }

    /**
     * Maps each side into R^width by its own fixed random linear map and adds isotropic noise of
     * standard deviation {@code noise}: an invertible map on the signal leaves the MI unchanged,
     * and noise small against the unit-variance signal lowers it only by O(noise^2).
     */
    CorrelatedGaussians embedded(int width, double noise, long seed) {
        Random random = new Random(seed);
        return new CorrelatedGaussians(this, embed(x, width, noise, random), embed(y, width, noise, random));
    }

    private CorrelatedGaussians(CorrelatedGaussians source, double[][] x, double[][] y) {
        this.x = x;
        this.y = y;
        this.mutualInformation = source.mutualInformation;
    }

    private static double[][] embed(double[][] points, int width, double noise, Random random) {
        int dims = points[0].length;
        double[][] map = new double[dims][width];
        for (double[] row : map) {
            for (int j = 0; j < width; j++) {
                row[j] = random.nextGaussian();
            }
        }
        double[][] out = new double[points.length][width];
        for (int i = 0; i < points.length; i++) {
            for (int j = 0; j < width; j++) {
                double sum = noise * random.nextGaussian();
                for (int c = 0; c < dims; c++) {
                    sum += points[i][c] * map[c][j];
                }
                out[i][j] = sum;
            }
        }
        return out;
    }
}

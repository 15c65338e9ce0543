package dev.falcon.layers;

/**
 * One estimate of I(X;Y) = H(X) + H(Y) - H(X,Y), all in nats.
 *
 * @param mi the mutual-information estimate
 * @param hX entropy estimate of X
 * @param hY entropy estimate of Y
 * @param hJoint entropy estimate of the rows of X and Y paired by index
 * @param dimsX dimensions X was reduced to before estimation (its column count when not reduced)
 * @param dimsY dimensions Y was reduced to
 * @param dimsJoint dimensions the joint entropy was computed in
 */
public record MiEstimate(double mi, double hX, double hY, double hJoint, int dimsX, int dimsY, int dimsJoint) {
}

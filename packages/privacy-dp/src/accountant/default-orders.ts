/**
 * The default grid of Rényi orders α: 1.1, 1.2, …, 10.9 (step 0.1), 11, 12, …, 63, then 128, 256, 512, 1024.
 * It contains the Opacus / TensorFlow Privacy grid ([1 + x/10 for x in 1..99] + [12..63]) so that ε values
 * agree with those libraries whenever their optimum lies inside their grid, and reaches further (to 1024) for
 * small budgets with little noise, where the optimal order is large.
 */
export const DEFAULT_RDP_ORDERS: readonly number[] = Object.freeze(buildDefaultOrders());

function buildDefaultOrders(): number[] {
  const orders: number[] = [];
  // 1 + x/10 computed from integers so that 2.0, 3.0, … are exact integers (and use the integer formula).
  for (let x = 1; x <= 99; x++) orders.push((10 + x) / 10);
  for (let order = 11; order <= 63; order++) orders.push(order);
  orders.push(128, 256, 512, 1024);
  return orders;
}

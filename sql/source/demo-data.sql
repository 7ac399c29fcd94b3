-- Demo rows present before the connector first starts: they arrive through the initial snapshot.
USE shop;
INSERT INTO customers (email, name, balance, created_at) VALUES
  ('ada@example.com', 'Ada Lovelace', 120.50, '2024-01-05 09:30:00.123456'),
  ('grace@example.com', 'Grace Hopper', 0.00, '2024-02-11 14:00:00.000001'),
  ('edsger@example.com', 'Edsger Dijkstra 🙂', 9999.99, '2024-03-21 08:15:42.5');
INSERT INTO products (sku, title, price, stock, tags, attributes) VALUES
  ('KB-01', 'Keyboard', 49.90, 10, 'new', '{"layout": "ISO", "keys": 105}'),
  ('MS-02', 'Mouse', 19.99, 25, 'sale,eco', '{"dpi": [800, 1600]}'),
  ('MN-27', 'Monitor 27"', 289.00, 3, NULL, NULL);
INSERT INTO orders (customer_id, status, total, placed_at) VALUES
  (1, 'paid', 69.89, '2024-04-01 10:00:00.250'),
  (2, 'new', 289.00, '2024-04-02 11:30:00.000');
INSERT INTO order_lines (order_id, line_no, sku, quantity) VALUES
  (1, 1, 'KB-01', 1), (1, 2, 'MS-02', 1), (2, 1, 'MN-27', 1);

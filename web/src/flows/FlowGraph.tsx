import '@xyflow/react/dist/style.css';
import { Badge, Box, Group, Text } from '@mantine/core';
import { Background, Controls, Handle, MarkerType, MiniMap, Position, ReactFlow, applyNodeChanges, type Edge, type Node, type NodeChange, type NodeProps } from '@xyflow/react';
import { memo, useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { colorOf, exitsOf, glyphOf, layoutPositions, nodeSummary } from './model';
import type { FlowDefinition, FlowNodeJson } from './types';

interface FlowNodeData extends Record<string, unknown> {
  node: FlowNodeJson;
  summary: string;
  isStart: boolean;
  hasError: boolean;
  hasWarning: boolean;
  index: number;
}
type FlowGraphNode = Node<FlowNodeData, 'flowNode'>;

const CARD_WIDTH = 200;

/** One flow node on the canvas: type badge, id and what it says or does. */
const FlowNodeCard = memo(function FlowNodeCard({ data, selected }: NodeProps<FlowGraphNode>) {
  const color = colorOf(data.node.type);
  const border = data.hasError ? 'var(--mantine-color-red-6)' : selected ? 'var(--mantine-color-blue-6)' : data.hasWarning ? 'var(--mantine-color-yellow-6)' : 'var(--mantine-color-gray-4)';
  return (
    <Box
      w={CARD_WIDTH}
      p={8}
      bg="white"
      style={{ border: `${data.hasError || selected ? 2 : 1}px solid ${border}`, borderRadius: 8, boxShadow: selected ? '0 0 0 3px var(--mantine-color-blue-1)' : undefined }}
      data-testid={`flow-node-${data.node.id}`}
      data-flow-node={data.node.id}
      data-node-type={data.node.type}
      data-has-error={data.hasError ? 'true' : 'false'}
      data-selected={selected ? 'true' : 'false'}
    >
      <Handle type="target" position={Position.Top} />
      <Group gap={6} wrap="nowrap" mb={2}>
        <Badge size="sm" color={color} variant="filled" radius="sm" style={{ flex: 'none' }} title={data.node.type}>
          {glyphOf(data.node.type)} {data.node.type}
        </Badge>
        <Text size="xs" fw={700} truncate="end" title={data.node.id} style={{ fontFamily: 'var(--mantine-font-family-monospace)' }}>
          {data.node.id}
        </Text>
        {data.isStart && (
          <Badge size="xs" variant="outline" color="dark" style={{ flex: 'none' }}>
            start
          </Badge>
        )}
      </Group>
      <Text size="xs" c="dimmed" lineClamp={2}>
        {data.summary || '\u00a0'}
      </Text>
      <Handle type="source" position={Position.Bottom} />
    </Box>
  );
});

const nodeTypes = { flowNode: FlowNodeCard };

const canvasId = (node: FlowNodeJson, index: number, seen: Set<string>) => {
  const id = typeof node.id === 'string' && node.id !== '' && !seen.has(node.id) ? node.id : `${String(node.id)}#${index}`;
  seen.add(id);
  return id;
};

function buildNodes(definition: FlowDefinition, language: string, selectedIndex: number | null, errors: Set<string>, warnings: Set<string>, previous: FlowGraphNode[]): FlowGraphNode[] {
  const positions = layoutPositions(definition);
  const seen = new Set<string>();
  const before = new Map(previous.map((n) => [n.id, n]));
  return definition.nodes.map((node, index) => {
    const id = canvasId(node, index, seen);
    const old = before.get(id);
    return {
      ...(old ?? {}),
      id,
      type: 'flowNode' as const,
      position: positions.get(index)!,
      selected: index === selectedIndex,
      data: {
        node,
        index,
        summary: nodeSummary(node, language),
        isStart: node.id === definition.start,
        hasError: errors.has(node.id),
        hasWarning: warnings.has(node.id),
      },
    };
  });
}

function buildEdges(definition: FlowDefinition): Edge[] {
  const seen = new Set<string>();
  const ids = definition.nodes.map((n, i) => canvasId(n, i, seen));
  const byNodeId = new Map<string, string>();
  definition.nodes.forEach((n, i) => {
    if (!byNodeId.has(n.id)) byNodeId.set(n.id, ids[i]!);
  });
  const edges: Edge[] = [];
  definition.nodes.forEach((node, i) => {
    for (const [exit, target] of Object.entries(exitsOf(node))) {
      const to = byNodeId.get(target);
      if (!to) continue;
      edges.push({
        id: `${ids[i]}::${exit}`,
        source: ids[i]!,
        target: to,
        label: exit,
        markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16 },
        labelStyle: { fontSize: 10 },
        labelBgStyle: { fillOpacity: 0.85 },
        style: exit === 'no_input' || exit === 'no_match' || exit === 'error' || exit === 'timeout' ? { strokeDasharray: '4 3' } : undefined,
      });
    }
  });
  return edges;
}

interface FlowGraphProps {
  definition: FlowDefinition;
  selectedIndex: number | null;
  errorNodes: Set<string>;
  warningNodes: Set<string>;
  editable: boolean;
  onSelect: (index: number | null) => void;
  onMove: (index: number, position: { x: number; y: number }) => void;
}

/** The draft as a graph: nodes where their `position` says (or laid out from `start`), one edge per exit. */
export function FlowGraph({ definition, selectedIndex, errorNodes, warningNodes, editable, onSelect, onMove }: FlowGraphProps) {
  const { i18n } = useTranslation();
  const language = i18n.resolvedLanguage ?? i18n.language;
  const [nodes, setNodes] = useState<FlowGraphNode[]>(() => buildNodes(definition, language, selectedIndex, errorNodes, warningNodes, []));
  useEffect(() => {
    setNodes((previous) => buildNodes(definition, language, selectedIndex, errorNodes, warningNodes, previous));
  }, [definition, language, selectedIndex, errorNodes, warningNodes]);
  const edges = useMemo(() => buildEdges(definition), [definition]);

  const onNodesChange = useCallback((changes: NodeChange<FlowGraphNode>[]) => {
    // Selection is the editor's (one node at a time); positions and sizes are the canvas's until a drag ends.
    setNodes((current) => applyNodeChanges(changes.filter((c) => c.type === 'position' || c.type === 'dimensions'), current));
  }, []);

  return (
    <Box h={560} style={{ border: '1px solid var(--mantine-color-gray-3)', borderRadius: 8 }} data-testid="flow-graph">
      <ReactFlow<FlowGraphNode, Edge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onNodeClick={(_, node) => onSelect(node.data.index)}
        onNodeDragStart={(_, node) => onSelect(node.data.index)}
        onNodeDragStop={(_, node) => onMove(node.data.index, { x: Math.round(node.position.x), y: Math.round(node.position.y) })}
        onPaneClick={() => onSelect(null)}
        nodesDraggable={editable}
        nodesConnectable={false}
        elementsSelectable
        deleteKeyCode={null}
        fitView
        fitViewOptions={{ padding: 0.15 }}
        minZoom={0.2}
      >
        <Background gap={20} />
        <Controls showInteractive={false} />
        <MiniMap pannable zoomable nodeColor={(n) => `var(--mantine-color-${colorOf((n.data as FlowNodeData).node.type)}-5)`} />
      </ReactFlow>
    </Box>
  );
}
